from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """An entry's place in the review chain; the values are apps.organs.enums.ReviewState's."""

    DRAFT = "draft", _("草稿")
    RETURNED = "returned", _("退回修改")
    REVIEWED = "reviewed", _("审核通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Validity(models.TextChoices):
    """有效性. Sites word these differently; this set is common practice, not a national standard."""

    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已失效")
    REPEALED = "repealed", _("已废止")
    NOT_APPLICABLE = "na", _("不适用")

    @classmethod
    def no_longer_in_force(cls) -> set[str]:
        return {cls.EXPIRED, cls.REPEALED}


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")


class ArticleTwentyItem(models.IntegerChoices):
    """条例第二十条 items, so that 法定主动公开内容 and report table 2 come from the catalog."""

    ITEM_1 = 1, _("（一）行政法规、规章和规范性文件")
    ITEM_2 = 2, _("（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名")
    ITEM_3 = 3, _("（三）国民经济和社会发展规划、专项规划、区域规划及相关政策")
    ITEM_4 = 4, _("（四）国民经济和社会发展统计信息")
    ITEM_5 = 5, _("（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果")
    ITEM_6 = (
        6,
        _("（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"),
    )
    ITEM_7 = 7, _("（七）财政预算、决算信息")
    ITEM_8 = 8, _("（八）行政事业性收费项目及其依据、标准")
    ITEM_9 = 9, _("（九）政府集中采购项目的目录、标准及实施情况")
    ITEM_10 = 10, _("（十）重大建设项目的批准和实施情况")
    ITEM_11 = 11, _("（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况")
    ITEM_12 = 12, _("（十二）突发公共事件的应急预案、预警信息及应对情况")
    ITEM_13 = 13, _("（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况")
    ITEM_14 = 14, _("（十四）公务员招考的职位、名额、报考条件等事项以及录用结果")
    ITEM_15 = 15, _("（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息")


class DocumentKind(models.TextChoices):
    """What an item (一) entry is, so that report table 2 can count 规章 and 行政规范性文件."""

    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    OTHER = "other", _("其他")


class AttachmentTextStatus(models.TextChoices):
    """What became of extracting an attachment's text for search (apps/catalog/extraction.py)."""

    PENDING = "pending", _("待提取")
    EXTRACTED = "extracted", _("已提取")
    EMPTY = "empty", _("无文字内容")
    EMPTY_SCANNED = "scanned", _("扫描件，无文字层")
    UNREADABLE = "unreadable", _("无法读取")
    UNSUPPORTED = "unsupported", _("不支持的格式")


class InterpretationKind(models.TextChoices):
    """政策解读的形式: how an entry interprets a policy document (国办 rules on 政策解读)."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    QA = "qa", _("问答")
