"""PDF rendering (fonts, text, missing glyphs) and the build_annual_report command."""

import datetime as dt
import io
import re
import subprocess

from django.core.management import CommandError, call_command

import pytest

from apps.reports.models import AnnualReport
from apps.reports.pdf import MissingGlyphError, render_pdf
from tests.factories.records import PublicationFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections
from tests.reports.pages import page_fills

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


@pytest.mark.parametrize(("paragraphs", "split"), [(0, False), (10, True)])
def test_table3_is_whole_or_split_with_its_header_and_no_page_is_left_mostly_blank(
    organ_a, tmp_path, paragraphs, split
):
    from apps.reports import services

    # A long 总体情况 moves table 2 and table 3 down. Table 3 is kept whole where it fits; when,
    # kept whole, it would leave the page before it mostly blank, it is split there instead.
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    if paragraphs:
        services.report_update(
            report=report, texts={"overall": "\n".join(["本年度信息公开工作稳步推进。" * 8] * paragraphs)}
        )
    path = tmp_path / "r.pdf"
    path.write_bytes(services.report_render_pdf(report=report))
    fills = page_fills(path)
    assert all(fill >= 0.5 for fill in fills[:-1]), fills
    pages = _pages_text(path.read_bytes(), tmp_path)
    holding = [page for page in pages if "申请人情况" in page]  # the header of every part
    assert len(holding) == (2 if split else 1)
    assert all("三、本" in page for page in holding)  # 三、本年度办理结果, wrapped in its cell
    text = "".join(holding)
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"):
        assert text.count(label) == 1
    assert [re.search(r"—\s*(\d+)\s*—\s*$", page).group(1) for page in pages if page.strip()] == [
        str(n) for n in range(1, len([p for p in pages if p.strip()]) + 1)
    ]  # page numbers "— 1 —", "— 2 —", …


def test_table2_breaks_only_between_its_blocks(organ_a, tmp_path):
    from apps.reports import services

    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    # Long enough that table 2 meets the end of page 1.
    services.report_update(
        report=report, texts={"overall": "\n".join(["本年度信息公开工作稳步推进。" * 8] * 2)}
    )
    pages = _pages_text(services.report_render_pdf(report=report), tmp_path)
    blocks = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    rows = [["规章", "行政规范性文件"], ["行政许可"], ["行政处罚", "行政强制"], ["行政事业性收费"]]
    for block, labels in zip(blocks, rows, strict=True):
        (page,) = [page for page in pages if block in page]
        assert all(label in page for label in labels), block  # a block and its rows share a page
        assert page.index(block) < page.index("信息内容", page.index(block))  # then its header
    assert len({pages.index(page) for page in pages for block in blocks if block in page}) == 2


def test_the_html_output_is_a_standalone_page_with_the_portals_report_styles(organ_a, tmp_path):
    fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    output = tmp_path / "report.html"
    call_command("build_annual_report", organ="jhj", year=2024, output=str(output), stderr=io.StringIO())
    html = output.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "<link" not in html and "<script" not in html  # nothing to fetch: it opens anywhere
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert ".report-table th, .report-table td { border: 1px solid" in style  # the tables' borders
    assert ".visually-hidden {" in style  # the caption is not printed under the heading again
    assert '<caption class="visually-hidden">三、收到和处理政府信息公开申请情况</caption>' in html
    assert '<div class="report-document">' in html and "2024年政府信息公开工作年度报告" in html
