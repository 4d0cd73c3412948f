"""Acceptance: the demo reports reproduce the seed report and pass every check."""

import io
import random
import subprocess

import pytest
import time_machine

from apps.devtools.demo import organs as organs_demo
from apps.devtools.demo import reports as reports_demo
from apps.reports import services
from apps.reports.models import AnnualReport
from tests.factories.records import YearTallyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organs():
    return organs_demo.build(rng=random.Random(1), stdout=io.StringIO())


def test_seed_report_reproduces_the_seed_structure_and_numbers(demo_organs, tmp_path):
    out = io.StringIO()
    with time_machine.travel("2026-02-01 10:00 +0800", tick=False):
        reports_demo.build(
            organs={**demo_organs, "busy": demo_organs["jhj"]}, rng=random.Random(1), stdout=out
        )
    report = AnnualReport.objects.get(organ=demo_organs["jhj"], year=2018)
    version = report.versions.get()
    html = version.html
    headings = [
        "牡丹江市经济合作促进局",
        "2018年政府信息公开工作年度报告",
        "按照《中华人民共和国政府信息公开条例》和市政府办的有关要求，现将市经合局2018年度政府信息公开工作情况报告如下：",
        "一、概述",
        "1、加强领导，健全机构。",
        "6、加强宣传，积极营造有利于政务公开工作开展的良好氛围。",
        "二、政府信息公开情况",
        "（一）主动公开情况",
        "2018年，共主动公开政府信息12条。一是及时更新市政府门户网站本单位政府信息公开目录",
        "招商动态等信息8条；二是充分利用报纸这一宣传阵地，在报纸刊登招商引资工作信息稿件4条；",
        "三是面向目标客商、招商一线人员加大宣传力度，印发《招商指南》和《项目册》2500余册，",
        "（二）依申请公开情况",
        "2018年度，没有公民、法人和其他组织向市经合局提出政府信息公开申请。",
        "（三）因政府信息公开申请行政复议、提出行政诉讼情况",
        "2018年度，没有公民、法人和其他组织因市经合局政府信息公开工作申请行政复议、提起行政诉讼。",
        "（四）人大代表建议和政协委员提案办理结果情况",
        "2018年，市经合局承办政协委员提案1件，局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，"
        "并积极主动与政协委员见面，当面送交答复文件，已全部办结，办结率和满意率均为100%。",
        "（五）政府信息公开相关费用情况",
        "市经合局没有用于政府信息公开工作的专项费用。",
        "三、存在的主要问题",
        "四、改进情况",
        "五、2019年工作思路",
        "3、进一步拓展政府信息公开平台。",
        "市经合局",
        "2019年3月",
    ]
    position = 0
    for text in headings:  # each present, in the seed's order
        found = html.find(text, position)
        assert found != -1, text
        position = found + len(text)
    assert version.statistics["channels"]["total"] == 12
    assert version.statistics["printed"] == {
        "items": [{"title": "《招商指南》和《项目册》", "copies": 2500}],
        "total": 2500,
    }
    assert version.statistics["proactive_notes"]["copies"] == {"《招商指南》和《项目册》": ["more"]}
    pdf = tmp_path / "seed.pdf"
    pdf.write_bytes(version.pdf.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2018年政府信息公开工作年度报告" in text
    assert "主动公开" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk), fonts  # embedded and subset


def test_busy_report_passes_every_check(demo_organs):
    from tests.factories.reports import application

    busy = demo_organs["busy"]
    # A year of casework for the busy organ, crossing both year ends.
    import datetime as dt

    from apps.applications.enums import ApplicantType, Outcome

    rng = random.Random(7)
    outcomes = [
        Outcome.DISCLOSED,
        Outcome.PARTIALLY_DISCLOSED,
        Outcome.NOT_HELD,
        Outcome.REPEATED,
        Outcome.WITHDRAWN,
    ]
    for k in range(40):
        received = dt.date(2024, 12, 1) + dt.timedelta(days=k * 9)
        closed = received + dt.timedelta(days=rng.randint(3, 30))
        application(
            organ=busy,
            received_on=received,
            closed_on=closed if closed < dt.date(2025, 12, 20) else None,
            outcome=outcomes[k % len(outcomes)],
            applicant_type=list(ApplicantType)[k % 6],
        )
    # Its table-2 figures of the year, entered (apps/devtools/demo/proactive.py enters them in seed_demo).
    YearTallyFactory(
        organ=busy, year=2025, licensing=374, punishment=9, enforcement=2, not_applicable=["fees"]
    )
    with time_machine.travel("2026-02-01 10:00 +0800", tick=False):
        reports_demo.build(organs=demo_organs, rng=random.Random(1), stdout=io.StringIO())
    report = AnnualReport.objects.get(organ=busy, year=2025)
    assert services.report_check(report=report) == []
    version = report.versions.get()
    assert version.statistics["table3"]["new"]["total"] > 30
    assert "三、收到和处理政府信息公开申请情况" in version.html


def test_demo_build_is_idempotent_and_wipe_removes_the_reports(demo_organs):
    with time_machine.travel("2026-02-01 10:00 +0800", tick=False):
        reports_demo.build(organs=demo_organs, rng=random.Random(1), stdout=io.StringIO())
        reports_demo.build(organs=demo_organs, rng=random.Random(1), stdout=io.StringIO())
    assert AnnualReport.objects.filter(organ=demo_organs["jhj"]).count() == 1
    reports_demo.wipe(organs=demo_organs, stdout=io.StringIO())
    assert not AnnualReport.objects.exists()
