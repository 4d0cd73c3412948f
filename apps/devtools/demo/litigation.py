"""Demo review and litigation cases (table 4 of the annual report), built by seed_demo.

The seed organ (jhj) had none in 2018 ("没有……申请行政复议、提出行政诉讼"), so it gets none.
The busy organ gets cases in 2021–2026 with every result and both routes, some decided
after the year end (尚未审结 in their filing year's table 4) and two still pending.
Names, case numbers and dates are invented.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile

from apps.devtools.demo.files import tiny_pdf
from apps.litigation import services
from apps.litigation.enums import CaseKind, Result, Route
from apps.litigation.models import Case, CaseDocument
from apps.organs.models import Organ

R, L = CaseKind.REVIEW, CaseKind.LITIGATION
DIRECT, AFTER = Route.DIRECT, Route.AFTER_REVIEW
UPHELD, CORRECTED, OTHER, PENDING = Result.UPHELD, Result.CORRECTED, Result.OTHER, Result.PENDING
d = dt.date

# (kind, route, filed, result, decided, what the applicant asked for)
BUSY_CASES = (
    (R, "", d(2021, 4, 12), UPHELD, d(2021, 6, 8), "土地征收批复文件"),
    (R, "", d(2021, 9, 1), CORRECTED, d(2021, 10, 28), "国有建设用地使用权出让合同"),
    (L, DIRECT, d(2021, 5, 20), UPHELD, d(2021, 11, 16), "不动产登记簿信息"),
    (R, "", d(2022, 3, 3), OTHER, d(2022, 4, 20), "征地补偿安置方案（申请人撤回复议申请）"),
    (R, "", d(2022, 12, 12), UPHELD, d(2023, 2, 10), "矿业权出让收益评估报告"),
    (L, AFTER, d(2022, 6, 1), CORRECTED, d(2022, 12, 5), "土地征收补偿款发放明细"),
    (L, DIRECT, d(2022, 11, 8), OTHER, d(2023, 5, 18), "建设用地规划许可档案（法院裁定驳回起诉）"),
    (R, "", d(2023, 4, 17), UPHELD, d(2023, 6, 9), "耕地占补平衡指标交易信息"),
    (R, "", d(2023, 8, 21), UPHELD, d(2023, 10, 13), "临时用地审批文件"),
    (L, AFTER, d(2023, 7, 3), UPHELD, d(2023, 12, 29), "土地征收批复文件"),
    (L, DIRECT, d(2023, 2, 14), CORRECTED, d(2023, 8, 30), "国土空间规划编制过程材料"),
    (R, "", d(2024, 3, 11), CORRECTED, d(2024, 5, 6), "征收土地预公告送达记录"),
    (R, "", d(2024, 6, 24), UPHELD, d(2024, 8, 19), "不动产首次登记审核材料"),
    (L, DIRECT, d(2024, 5, 7), OTHER, d(2024, 9, 26), "卫片执法检查结果（调解后撤诉）"),
    (L, AFTER, d(2024, 10, 21), UPHELD, d(2025, 3, 12), "国有土地上房屋征收补偿方案"),
    (R, "", d(2025, 4, 2), UPHELD, d(2025, 5, 30), "采矿权延续登记材料"),
    (R, "", d(2025, 7, 15), OTHER, d(2025, 8, 29), "土地储备计划（复议机关终止审理）"),
    (L, DIRECT, d(2025, 3, 26), UPHELD, d(2025, 9, 12), "建设项目用地预审意见"),
    (L, AFTER, d(2025, 6, 10), OTHER, d(2025, 10, 21), "土地登记档案（原告撤诉）"),
    (R, "", d(2025, 12, 15), CORRECTED, d(2026, 1, 30), "土地征收成片开发方案"),
    (R, "", d(2026, 3, 2), UPHELD, d(2026, 4, 27), "土地出让金缴纳情况"),
    (R, "", d(2026, 9, 14), PENDING, None, "集体土地征收社会稳定风险评估报告"),
    (L, DIRECT, d(2026, 10, 9), PENDING, None, "不动产登记资料查询结果"),
)
APPLICANTS = ("王某", "李某某", "张某", "刘某", "陈某", "牡丹江某房地产开发有限公司", "杨某", "赵某某")
DOCUMENT_TITLES = {
    R: ("行政复议申请书", "行政复议决定书"),
    L: ("起诉状", "行政判决书"),
}


def wipe(*, organs: dict[str, Organ], stdout) -> None:
    organ_ids = [o.pk for o in organs.values()]
    for document in CaseDocument.objects.filter(case__organ_id__in=organ_ids):
        document.file.delete(save=False)
    deleted = Case.objects.filter(organ_id__in=organ_ids).delete()[0]
    stdout.write(f"  litigation: removed {deleted} rows")


def build(*, organs: dict[str, Organ], rng: random.Random, stdout) -> None:
    if "busy" not in organs:
        return
    busy = organs["busy"]
    wipe(organs={"busy": busy}, stdout=stdout)  # idempotent on its own too
    serials: dict[tuple[str, int], int] = {}
    for kind, route, filed, result, decided, subject in BUSY_CASES:
        serials[kind, filed.year] = serials.get((kind, filed.year), 0) + 1
        serial = serials[kind, filed.year] + rng.randint(3, 9) * 10
        number = f"牡政复〔{filed.year}〕{serial}号" if kind == R else f"（{filed.year}）黑1002行初{serial}号"
        case = services.case_create(
            organ=busy,
            kind=kind,
            route=route,
            case_number=number,
            applicant=rng.choice(APPLICANTS),
            application_reference=f"{filed.year}年申请公开“{subject.split('（')[0]}”",
            filed_date=filed,
            result=result,
            decided_date=decided,
            note=subject if "（" in subject else "",
        )
        opening, decision = DOCUMENT_TITLES[kind]
        services.case_document_add(
            case=case, title=opening, file=ContentFile(tiny_pdf(f"Case {case.pk}"), name="opening.pdf")
        )
        if decided is not None:
            services.case_document_add(
                case=case,
                title=decision,
                file=ContentFile(tiny_pdf(f"Decision {case.pk}"), name="decision.pdf"),
            )
    stdout.write(f"  litigation: {busy.name} {len(BUSY_CASES)} cases")
