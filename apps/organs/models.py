"""行政机关: the organs that disclose, their 指南 and 制度 pages, and their clerks."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organs.enums import RecordAction, ReviewState
from apps.organs.locking import Versioned

# 18-character 统一社会信用代码 (GB 32100-2015) or the older 9-character 组织机构代码,
# with or without the hyphen before the check digit (0142768-8). Both appear as the
# 索引号 prefix on real portals.
ORGAN_CODE_VALIDATOR = RegexValidator(
    r"^([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|[0-9A-Z]{8}-?[0-9A-Z])$",
    _("请输入18位统一社会信用代码或9位组织机构代码。"),
)


class OrganQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_children(self, organ: Organ):
        """The organ and its direct departments (a city government and its 部门)."""
        return self.filter(models.Q(pk=organ.pk) | models.Q(parent=organ))


class Organ(Versioned):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        OTHER = "other", _("其他机关")

    name = models.CharField(_("机关名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    kind = models.CharField(_("机关类型"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    code = models.CharField(
        _("统一社会信用代码或组织机构代码"),
        max_length=20,
        unique=True,
        validators=[ORGAN_CODE_VALIDATOR],
        help_text=_("作为索引号前段码。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # 条例第十二条: the 指南 must give the disclosure office's name and contacts.
    office_name = models.CharField(_("政府信息公开工作机构"), max_length=200, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=300, blank=True)
    postal_code = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    fax = models.CharField(_("传真号码"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("互联网联系方式"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    # apps/organs/roles.py: by default the 审核人 of a record is never the one who drafted it.
    combined_roles_allowed = models.BooleanField(
        _("允许一人兼任多个角色"),
        default=False,
        db_default=False,  # rows written by older data migrations' historical models
        help_text=_("人员较少的机关可勾选：同一人可以审核自己起草的内容，历史记录中会注明。"),
    )

    objects = OrganQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政机关")
        verbose_name_plural = _("行政机关")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="organ_not_own_parent"),
        ]
        permissions = [("view_all_organs", _("可以只读查看所有机关的记录（市政务公开办）"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:organ", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def index_prefix(self) -> str:
        return self.code


class OrganPageQuerySet(models.QuerySet):
    def published(self):
        """Pages with a published version: what the public sees."""
        return self.filter(published_at__isnull=False)


class OrganPage(Versioned):
    """The 政府信息公开指南 and 政府信息公开制度 of an organ, edited by its clerks.

    ``title`` and ``body`` are the clerks' working copy; the public reads the ``published_*`` copy,
    which only the publication after review replaces (apps/organs/services.py). So the 指南 stays
    online, unchanged, while its next version is drafted and reviewed (条例第十二条 asks for it).
    """

    class Kind(models.TextChoices):
        GUIDE = "guide", _("政府信息公开指南")
        RULES = "rules", _("政府信息公开制度")

    organ = models.ForeignKey(Organ, verbose_name=_("机关"), on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), help_text=_("段落之间空一行。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=ReviewState,
        default=ReviewState.DRAFT,
        db_default=ReviewState.DRAFT,
    )
    published_title = models.CharField(_("公开的标题"), max_length=200, blank=True, editable=False)
    published_body = models.TextField(_("公开的正文"), blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)

    objects = OrganPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("指南与制度")
        verbose_name_plural = _("指南与制度")
        constraints = [
            models.UniqueConstraint(fields=["organ", "kind"], name="one_page_of_each_kind_per_organ"),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | ~models.Q(published_body=""),
                name="published_organ_page_has_a_body",
            ),
        ]
        permissions = [
            ("review_organpage", _("可以审核（保密审查）指南与制度")),
            ("publish_organpage", _("可以发布指南与制度")),
        ]

    def __str__(self) -> str:
        return f"{self.organ.display_name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse(f"portal:organ_{self.kind}", args=[self.organ.slug])


class Membership(Versioned):
    """A clerk works for exactly one organ and sees only its records in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organ = models.ForeignKey(Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("机关工作人员")
        verbose_name_plural = _("机关工作人员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organ}"


class RecordEvent(models.Model):
    """One step in the life of a record that goes through review (apps/organs/review.py): who, when,
    what changed (field by field), the review opinion or the reason of a withdrawal.

    Append-only: save() refuses an update, delete() refuses, and a PostgreSQL trigger refuses both
    whatever the code (migration 0004). The events outlive a deleted draft; the user and organ
    references carry no foreign-key constraint so that nothing can cascade into the log.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("记录"), max_length=300)
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("机关"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=12, choices=RecordAction)
    state = models.CharField(_("操作后状态"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    #: [{"field": name, "label": verbose name, "old": text, "new": text}, ...]
    changes = models.JSONField(_("修改内容"), default=list, blank=True)
    opinion = models.TextField(_("审核意见或原因"), blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审核与修改记录")
        verbose_name_plural = _("审核与修改记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="record_event_of_record")]

    def __str__(self) -> str:
        return f"{self.record_label} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("审核与修改记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审核与修改记录只能追加，不能删除。"))
