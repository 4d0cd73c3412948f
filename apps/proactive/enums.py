from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a piece of proactively disclosed information went out
    (docs/domain/catalog.md#proactive-disclosure-records-outside-the-catalog)."""

    WEBSITE = "website", _("门户网站")
    NEW_MEDIA = "new_media", _("政务新媒体")
    NEWSPAPER = "newspaper", _("报纸")
    BROADCAST = "broadcast", _("广播电视")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    READING_POINT = "reading_point", _("公开查阅点")
    PRINTED = "printed", _("印发资料")

    @classmethod
    def itemised(cls) -> list[str]:
        """Channels whose records are items of information (条), as opposed to printed copies (册).

        The seed report counts "主动公开政府信息12条" (8 website + 4 newspaper) and the
        2,500 printed copies separately, so 印发资料 is kept out of the item total.
        """
        return [c for c in cls.values if c != cls.PRINTED]


class NormativeKind(models.TextChoices):
    """The two rows of table 2, 第二十条第（一）项 (same codes as apps.catalog DocumentKind)."""

    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")


class Approximation(models.TextChoices):
    """How a record's quantity is qualified in the report: "2500余册" is not "2500册".

    Reports written by hand often give round figures; keeping the qualifier lets the
    generated text say what the clerk knows, no more.
    """

    EXACT = "", _("准确数")
    MORE = "more", _("余（如2500余册）")
    ABOUT = "about", _("约（如约2500册）")
    AT_LEAST = "at_least", _("以上（如2500册以上）")


def format_quantity(n: int, unit: str, approximation: str | None = Approximation.EXACT) -> str:
    """A quantity as report text: 2500余册, 约2500册, 2500册以上, or 12条 when exact."""
    approximation = approximation or Approximation.EXACT
    if approximation == Approximation.EXACT:
        return f"{n}{unit}"
    if approximation == Approximation.MORE:
        return f"{n}余{unit}"
    if approximation == Approximation.ABOUT:
        return f"约{n}{unit}"
    if approximation == Approximation.AT_LEAST:
        return f"{n}{unit}以上"
    raise ValueError(f"unknown approximation {approximation!r}")


class Power(models.TextChoices):
    """The rows of report table 2 that YearTally holds: each is a power an organ may not have.

    An organ without the power records it as "not applicable" (printed "/") for the year,
    which is different from 0 ("has the power, none this year") and from not entered yet.
    """

    LICENSING = "licensing", _("行政许可")
    OTHER_SERVICES = "other_services", _("其他对外管理服务事项")
    PUNISHMENT = "punishment", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    FEES = "fees", _("行政事业性收费")
    PROCUREMENT = "procurement", _("政府集中采购")
