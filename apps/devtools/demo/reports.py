"""Demo annual reports for seed_demo, built last.

- 牡丹江市经济合作促进局 (organs["jhj"]), 2018, pre-2019 free layout: the seed report (the real
  《牡丹江市经济合作促进局2018年政府信息公开工作年度报告》, a copy of its text is
  tests/reports/data/seed_2018_jhj.txt) with its narrative sections verbatim and section 二
  generated from the records: 12 items (8 website + 4 newspaper), 《招商指南》和《项目册》2500余册,
  no application, no review or litigation, one 政协提案 with 办结率 and 满意率 100%, no dedicated
  expenditure. The records carry the report's own sentences (what the website items covered,
  what the printed copies were for, how the 政协提案 was handled), which the report prints.
  When the records builders did not create the seed's 2018 records, their seed builders are
  called here.
- organs["busy"], the last complete year, 2021 format, passing every check.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from apps.devtools.demo import proactive as proactive_demo
from apps.devtools.demo import proposals as proposals_demo
from apps.organs.models import Organ
from apps.proactive import selectors as proactive_selectors
from apps.proposals import selectors as proposal_selectors
from apps.reports import services
from apps.reports.enums import ReportFormat
from apps.reports.models import AnnualReport, ReportVersion

SEED_YEAR = 2018

# The seed's text, verbatim; only the page breaks of the source PDF inside points 3 and 6 are joined,
# and the spaces its text extraction put around Latin digits ("2018 年") are dropped.
SEED_PREAMBLE = "按照《中华人民共和国政府信息公开条例》和市政府办的有关要求，现将市经合局2018年度政府信息公开工作情况报告如下："
SEED_OVERVIEW = "\n".join(
    [
        "1、加强领导，健全机构。充实和调整市经合局政务公开工作领导小组，主要领导任组长，常务副局长任副组长，成员由其他班子成员组成。局政务公开工作领导小组办公室设在局办公室，办公室成员由各科室负责人组成。通过健全组织机构，切实做到了领导、机构、人员“三到位”，同时，我局把政务公开工作分解到单位内部的有关部室和人员，强化“一把手挂帅、副职领导具体抓、责任到处室、落实到人头”的工作机制。",
        "2、提高认识，把政务公开工作纳入重要议事日程。根据《2018年全市政务公开工作要点的通知》，结合我局实际，制定印发了《市经合局2018年政务公开工作要点》，落实了责任领导、责任科室和具体责任人。并把政务公开工作与正常业务工作同时部署，两手抓，纳入重要议事日程，定期研究部署，推动政务公开工作深入开展。",
        "3、整章建制，推动政务公开制度化、规范化。建立健全了《政务公开责任追究制度》、《政务公开社会评议制度》、《办事公开制度》、《重大决策公开制度》、《重要信息预公开制度》、《政府信息公开保密审查制度》、《政府信息公开依申请公开制度》、《公开政府信息登记统计制度》、《政府信息公开保密审查制度》等规章制度，确保政府信息公开流程规范有序。",
        "4、强化监督，确保政务公开落实到位。将政务公开工作与党风廉政建设、行风建设综合进行检查、考评，考评结果纳入岗位目标责任制。采取多种形式，实行定期检查与不定期检查相结合，强化监督检查工作。加大责任追究力度，明确责任追究主体、责任追究内容、责任追究程序，依法查处违反《条例》规定的行为。通过设立政务公开举报电话和邮箱，虚心接受群众的批评和建议。同时，鼓励广大干部、群众积极参与监督，积极反映公开过程中存在的突出问题，使公开工作更加扎实、有序开展。",
        "5、畅通渠道，为政务信息公开提供便利。公开受理政务公开举报、投诉的联系方式，包括电话、邮箱、网站、信件和来人来访受理地址等方面，及时妥善处理、答复公众的举报投诉。按照发布政府信息公开年度报告，内容涵盖组织机构、规章制度、公开载体、公开内容、主动公开和依申请公开等各类必要信息。",
        "6、加强宣传，积极营造有利于政务公开工作开展的良好氛围。借助报纸、广播、电视等新闻媒体，加大宣传力度，提高广大市民和社会各界对政务公开工作的了解、理解和支持，保障其知情权、参与权和监督权。积极参加市政务公开办组织开展的各类会议、培训等活动，不断丰富业务知识，了解政策法规，提高业务水平。认真总结政务公开工作，按要求向市政务公开办报送工作总结及简报信息。",
    ]
)
SEED_PROBLEMS = "\n".join(
    [
        "1. 政务公开的组织建设仍需加改进。未按照规定独立设置政务公开科室，一直以来都由办公室负责此项工作，人员也是兼职负责，且法律、互联网及相关业务领域专业人员配备不足。",
        "2. 依法主动公开意识有待增强。少数干部职工对政府信息公开工作的重要性认识依然不足，怕公开、烦公开等惯性倾向依然存在，影响到主动公开工作的落实。",
    ]
)
SEED_IMPROVEMENTS = "\n".join(
    [
        "1. 规范提升主动公开工作。严格执行相关政策文件规定的主动公开范围和事项，进一步拓展和深化政府信息公开的内容和范围，努力提高信息公开的质量。继续抓好政务公开工作要点落实，紧扣上级工作部署，进一步提高市经合局在政务公开工作涉及领域的信息主动公开，争取在重点领域政府信息公开上取得新突破。",
        "2. 加强政府信息公开工作理论学习和业务培训。进一步适应新常态、新思路，在不断提升市经合局政府信息公开工作整体水平的同时，重视干部职工理论知识学习和业务技能培训，提升专业素养。",
    ]
)
SEED_PLANS = "\n".join(
    [
        "1、进一步细化政府信息公开工作。认真制定招商引资政务公开工作方案，梳理政务公开内容，完善办事公开目录，规范行业服务标准，将政务公开工作落到实处。",
        "2、进一步完善政府信息公开制度。结合工作实际，制定完善政务公开工作的各项制度，不断规范公开内容，创新公开形式，以完善的制度促进工作的规范化、常态化运转。",
        "3、进一步拓展政府信息公开平台。及时向“中国·牡丹江”门户网站报送信息，及时更新牡丹江招商工作信息，准确反映我市招商工作动态。加大信息主动公开力度，为群众上网查询信息提供便利。",
    ]
)

BUSY_PROBLEMS = "\n".join(
    [
        "一是依申请公开办理量大，个别申请临近答复期限才办结，办理效率有待提高。",
        "二是主动公开信息的解读和回应还不够充分，政策解读形式较为单一。",
        "下一步，我局将完善依申请公开办理台账和到期提醒，严格执行答复期限；丰富图表、问答等解读形式，提升主动公开质量。",
    ]
)


def _ensure_seed_records(organ: Organ, stdout) -> None:
    if not proactive_selectors.channel_counts(organ_ids=[organ.pk], year=SEED_YEAR)["total"]:
        proactive_demo.build_seed(organ)
        stdout.write("  reports: created the seed organ's 2018 disclosure records")
    if not proposal_selectors.proposal_stats(organ_ids=[organ.pk], year=SEED_YEAR)["all"]["total"]:
        proposals_demo.build_seed(organ)
        stdout.write("  reports: created the seed organ's 2018 proposal")


def _publish(report: AnnualReport, stdout) -> None:
    try:
        version = services.report_publish(report=report)
    except services.ReportCheckFailed as exc:
        stdout.write(f"  reports: {report} left as draft, checks failed:")
        for failure in exc.failures:
            stdout.write(f"    - {failure.message}")
    else:
        stdout.write(
            f"  reports: published {report} v{version.number} (PDF sha256 {version.pdf_sha256[:12]}…)"
        )


def build_seed_report(organ: Organ, stdout) -> AnnualReport:
    _ensure_seed_records(organ, stdout)
    report = services.report_create(
        organ=organ,
        year=SEED_YEAR,
        report_format=ReportFormat.PRE_2019,
        signature="市经合局",
        signed_on="2019年3月",
    )
    return services.report_update(
        report=report,
        texts={
            "preamble": SEED_PREAMBLE,
            "overview": SEED_OVERVIEW,
            "problems": SEED_PROBLEMS,
            "improvements": SEED_IMPROVEMENTS,
            "plans": SEED_PLANS,
        },
    )


def build_busy_report(organ: Organ, year: int) -> AnnualReport:
    report = services.report_create(organ=organ, year=year, report_format=ReportFormat.NATIONAL_2021)
    return services.report_update(report=report, texts={"problems": BUSY_PROBLEMS})


def wipe(*, organs: dict[str, Organ], stdout) -> None:
    # Versions are append-only for users; the demo wipe is the one place that removes them
    # (QuerySet.delete bypasses ReportVersion.delete).
    organ_list = list(organs.values())
    versions, _ = ReportVersion.objects.filter(report__organ__in=organ_list).delete()
    reports, _ = AnnualReport.objects.filter(organ__in=organ_list).delete()
    stdout.write(f"  reports: removed {reports} rows ({versions} versions)")


def build(*, organs: dict[str, Organ], rng: random.Random, stdout) -> None:
    jhj, busy = organs["jhj"], organs["busy"]
    year = timezone.localdate().year - 1
    with transaction.atomic():
        if not AnnualReport.objects.filter(organ=jhj, year=SEED_YEAR).exists():
            _publish(build_seed_report(jhj, stdout), stdout)
    with transaction.atomic():
        if not AnnualReport.objects.filter(organ=busy, year=year).exists():
            _publish(build_busy_report(busy, year), stdout)
