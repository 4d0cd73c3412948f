"""PDF rendering (fonts, text, missing glyphs) and the build_annual_report command."""

import datetime as dt
import subprocess

from django.core.management import CommandError, call_command

import pytest

from apps.reports.models import AnnualReport
from apps.reports.pdf import MissingGlyphError, render_pdf
from tests.factories.records import PublicationFactory
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
    assert any("Noto-Serif-CJK-SC" in n for n in names) and any("Noto-Sans-CJK-SC" in n for n in names)
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    out = capsys.readouterr()
    assert "统计完成" in out.out
    assert "「五、存在的主要问题及改进情况」尚未填写" in out.err  # reported, not published
    assert not AnnualReport.objects.get(organ=organ_a, year=2024).versions.exists()


def test_command_publishes_and_writes_the_frozen_html(organ_a, tmp_path):
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
