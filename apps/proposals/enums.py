from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    NPC = "npc", _("人大代表建议")
    CPPCC = "cppcc", _("政协提案")


class Role(models.TextChoices):
    """主办单位 answers the proposer; 协办（会办）单位 sends its opinion to the 主办单位
    (docs/domain/casework.md#roles-results-and-feedback)."""

    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")
    SEPARATE = "separate", _("分办")


class ResultCode(models.TextChoices):
    """办理结果 A–D as most places word them (docs/domain/casework.md#roles-results-and-feedback).

    Places word the classes differently (e.g. A类 = 已经解决或基本解决，或已通过其他途径解决的;
    B类 = 正在解决或有关工作已启动的; C类 = 已列入规划计划逐步解决的), so the labels shown can be
    replaced with settings.PROPOSAL_RESULT_LABELS (see result_label); the codes stay A–D.
    """

    A = "A", _("A类：所提问题已经解决或基本解决")
    B = "B", _("B类：所提问题正在解决或列入规划逐步解决")
    C = "C", _("C类：所提问题因目前条件限制或其他原因需以后解决")
    D = "D", _("D类：所提问题留作参考")


class PublishMode(models.TextChoices):
    """办理复文的公开方式
    (国办发〔2014〕46号, docs/domain/casework.md#publication-of-replies)."""

    FULL = "full", _("全文公开")
    SUMMARY = "summary", _("摘要公开")
    NOT_PUBLISHED = "none", _("不公开")


class Feedback(models.TextChoices):
    """The proposer's 反馈意见表."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


def result_label(code: str) -> str:
    """The local wording of a result code: settings.PROPOSAL_RESULT_LABELS[code] if set."""
    from django.conf import settings

    custom = getattr(settings, "PROPOSAL_RESULT_LABELS", None) or {}
    return str(custom.get(code) or ResultCode(code).label)
