"""PDF rendering (fonts, text, missing glyphs) and the build_annual_report command."""

import datetime as dt
import re
import subprocess

from django.core.management import CommandError, call_command

import pytest

from apps.reports.models import AnnualReport
from apps.reports.pdf import MissingGlyphError, render_pdf
from tests.factories.records import PublicationFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db


def test_a_character_no_font_has_makes_the_render_fail():
    html = '<!DOCTYPE html><html lang="zh-CN"><body><p>政府信息\U0002ebf0公开</p></body></html>'
    with pytest.raises(MissingGlyphError) as excinfo:
        render_pdf(html)
    assert excinfo.value.characters == ["\U0002ebf0"]
    assert "U+2EBF0" in str(excinfo.value)


def test_command_writes_a_pdf_with_embedded_cjk_fonts_and_the_text(organ_a, tmp_path, capsys):
    PublicationFactory(organ=organ_a, date=dt.date(2024, 5, 1), count=3)
    output = tmp_path / "report.pdf"
    call_command("build_annual_report", organ="jhj", year=2024, report_format="2021", output=str(output))
    assert output.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\n", "")  # lines are wrapped in the PDF
    assert "牡丹江市经济合作促进局" in text
    assert "2024年政府信息公开工作年度报告" in text
    assert "共主动公开政府信息3条" in text
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
    fonts = subprocess.run(["pdffonts", str(output)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    # One CJK family in two faces (body and headings): each extra face costs render time and size.
    assert sorted(n.split("+", 1)[1] for n in names) == ["Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"]
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts.splitlines()[2:])  # embedded, subset
    out = capsys.readouterr()
    assert "统计完成" in out.out
    assert "「五、存在的主要问题及改进情况」尚未填写" in out.err  # reported, not published
    assert not AnnualReport.objects.get(organ=organ_a, year=2024).versions.exists()


def test_command_publishes_and_writes_the_frozen_html(organ_a, tmp_path):
    YearTallyFactory(organ=organ_a, year=2024)  # table 2 entered, as publishing requires
    fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    output = tmp_path / "report.html"
    call_command("build_annual_report", organ="jhj", year=2024, output=str(output), publish=True)
    version = AnnualReport.objects.get(organ=organ_a, year=2024).versions.get()
    html = output.read_text()
    assert '<html lang="zh-CN">' in html
    assert version.html in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"organ": "nope", "year": 2024, "output": "x.pdf"}, "没有网址标识为“nope”的机关"),
        ({"organ": "jhj", "year": 2024, "output": "x.doc"}, "--output 须以 .pdf 或 .html 结尾"),
        ({"organ": "jhj", "year": 1999, "output": "x.pdf"}, "--year 须在 2008 至 2100 之间"),
    ],
)
def test_command_refuses_bad_input(organ_a, tmp_path, monkeypatch, options, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("build_annual_report", **options)


def test_command_publish_refused_names_the_failures(organ_a, tmp_path):
    with pytest.raises(CommandError, match="「五、存在的主要问题及改进情况」尚未填写"):
        call_command(
            "build_annual_report", organ="jhj", year=2024, output=str(tmp_path / "r.pdf"), publish=True
        )


def _png() -> bytes:
    """A 1×1 red PNG (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_the_pdf_fetches_no_file_or_network_resource(tmp_path):
    import base64

    image = tmp_path / "secret.png"
    image.write_bytes(_png())
    page = '<!DOCTYPE html><html lang="zh-CN"><body><p>附件</p><img src="{}" alt="图"></body></html>'
    inline = render_pdf(page.format("data:image/png;base64," + base64.b64encode(_png()).decode()))
    local = render_pdf(page.format(image.as_uri()))
    remote = render_pdf(page.format("http://127.0.0.1:9/secret.png"))
    assert b"/Image" in inline  # data: URLs work: the check below can tell
    assert b"/Image" not in local and b"/Image" not in remote


def _pages_text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return text.stdout.split("\f")


def test_table3_starts_a_page_and_stays_whole_with_a_long_narrative(organ_a, tmp_path):
    from apps.reports import services
    from apps.reports.rendering import render_pdf_html

    # A long 总体情况 pushes table 2 across pages; table 3 must still sit on one page.
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    services.report_update(
        report=report, texts={"overall": "\n".join(["本年度信息公开工作稳步推进。" * 8] * 6)}
    )
    html = services.report_render_html(report=report)
    pages = _pages_text(render_pdf(render_pdf_html(document=html, title="t")), tmp_path)
    (table3_page,) = [page for page in pages if "三、收到和处理政府信息公开申请情况" in page]
    assert table3_page.lstrip().startswith("三、收到和处理政府信息公开申请情况")
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"):
        assert label in table3_page
    assert [re.search(r"—\s*(\d+)\s*—\s*$", page).group(1) for page in pages if page.strip()] == [
        str(n) for n in range(1, len([p for p in pages if p.strip()]) + 1)
    ]  # page numbers "— 1 —", "— 2 —", …
