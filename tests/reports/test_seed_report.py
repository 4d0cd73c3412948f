"""Acceptance: the seed organ's 2018 report, built by build_annual_report from the demo records,
says everything the real report says, sentence by sentence, as precisely as it says it.

data/seed_2018_jhj.txt is the text of the real 《牡丹江市经济合作促进局2018年政府信息公开工作
年度报告》 (signed 市经合局, 2019年3月), as extracted from its PDF.
"""

import io
import random
import re
import subprocess
from pathlib import Path

from django.core.management import call_command

import pytest
import time_machine

from apps.devtools.demo import organs as organs_demo
from apps.devtools.demo import reports as reports_demo
from tests.reports.pages import page_fills

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "seed_2018_jhj.txt"

# Sentences the report words differently, with what it prints instead. The records hold the
# figures (no application, no case, one 提案) and the clerk's own words where there are any
# (the 办理情况 of the 提案); the organ is named, not "我局".
REWORDED = {
    "2018年度，没有公民、法人和其他组织依据《政府信息公开条例》，要求我局公开应当主动公开的政府信息以外的其他政府信息": (
        "2018年度，没有公民、法人和其他组织向市经合局提出政府信息公开申请"
    ),
    "2018年度，没有公民、法人和其他组织因我局政府信息公开申请行政复议、提出行政诉讼": (
        "2018年度，没有公民、法人和其他组织因市经合局政府信息公开工作申请行政复议、提起行政诉讼"
    ),
    "2018年我局承办的政协委员提案有一件，局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，"
    "并积极主动与政协委员见面，当面送交答复文件，办结率和满意率均为100%": (
        "2018年，市经合局承办政协委员提案1件，局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，"
        "并积极主动与政协委员见面，当面送交答复文件，已全部办结，办结率和满意率均为100%"
    ),
}


def _squeeze(text: str) -> str:
    """Whitespace and line wrapping do not count: 2018 年 = 2018年."""
    return re.sub(r"\s+", "", text)


def seed_sentences() -> list[str]:
    """The seed's sentences (and headings), whitespace removed, without their final punctuation.

    A paragraph cut by a page break of the source PDF (a line ending with 、 or ，) is joined
    to the next one first."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and paragraphs[-1].endswith(("、", "，")):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return [
        sentence
        for paragraph in paragraphs
        for sentence in (_squeeze(part) for part in re.split(r"[。；：]", paragraph))
        if sentence
    ]


def _figures(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?%?余?", text)


def test_the_seed_text_is_split_into_its_sentences():
    sentences = seed_sentences()
    assert sentences[:3] == ["牡丹江市经济合作促进局", "2018年政府信息公开工作年度报告", sentences[2]]
    assert sentences[2].startswith("按照《中华人民共和国政府信息公开条例》")
    # Point 3 was cut by a page break in the source: it is one sentence again.
    assert any(s.startswith("3、整章建制") for s in sentences)
    assert any("《政务公开社会评议制度》、《办事公开制度》" in s for s in sentences)
    assert (
        "三是面向目标客商、招商一线人员加大宣传力度，印发《招商指南》和《项目册》2500余册，增进对牡丹江市情和重点产业的深入了解，促进招商项目签约落地"
        in sentences
    )
    assert sentences[-2:] == ["市经合局", "2019年3月"]
    assert set(REWORDED) <= set(sentences)


@pytest.fixture
def seed_pdf(tmp_path):
    organs = organs_demo.build(rng=random.Random(1), stdout=io.StringIO())
    with time_machine.travel("2026-02-01 10:00 +0800", tick=False):
        # The demo builds the seed organ's records (through their services) and its report.
        reports_demo.build(
            organs={**organs, "busy": organs["jhj"]}, rng=random.Random(1), stdout=io.StringIO()
        )
        output = tmp_path / "seed.pdf"
        call_command(
            "build_annual_report",
            organ="jhj",
            year=2018,
            output=str(output),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    return output


def test_the_seed_report_pdf_says_every_sentence_of_the_seed(seed_pdf):
    text = subprocess.run(
        ["pdftotext", str(seed_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Page numbers ("— 2 —") may fall inside a sentence that runs on to the next page.
    printed = _squeeze(re.sub(r"—\s*\d+\s*—", "", text))
    missing = []
    for sentence in seed_sentences():
        expected = REWORDED.get(sentence, sentence)
        if expected not in printed:
            missing.append(expected)
        assert set(_figures(sentence)) <= set(_figures(expected)), sentence
    assert missing == []
    assert "印发《招商指南》和《项目册》2500余册" in printed  # the qualifier of the record, kept
    assert "2500册" not in printed


def test_the_seed_report_pdf_has_no_chart_and_no_mostly_blank_page(seed_pdf):
    text = subprocess.run(
        ["pdftotext", str(seed_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The published free layout had no charts: the report ends with its signature.
    assert "附图" not in text and "图1" not in text
    assert _squeeze(text).rstrip("—0123456789\x0c").endswith("市经合局2019年3月")
    # Every page at least half full, the last one too: it holds 四、改进情况, 五、2019年工作思路
    # and the signature.
    fills = page_fills(seed_pdf)
    assert len(fills) == 4 and all(fill >= 0.5 for fill in fills), fills
