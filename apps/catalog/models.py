"""政府信息公开目录: catalog entries with the standard metadata (政府信息公开目录系统实施指引)."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.catalog.enums import (
    ArticleTwentyItem,
    AttachmentTextStatus,
    DisclosureMode,
    DocumentKind,
    InterpretationKind,
    Status,
    Validity,
)
from apps.organs.locking import Versioned
from apps.organs.models import Organ


class ThemeCategory(models.Model):
    """主题分类: the gov.cn 22-class, two-level tree (fixtures/themes.json)."""

    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_theme_name_per_parent")
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        """Display form on detail pages: 一级\\二级 (e.g. 综合政务\\政务公开)."""
        if self.parent_id:
            return f"{self.parent.name}\\{self.name}"
        return self.name


class Genre(models.Model):
    """体裁分类: a configurable list, seeded with the 15 公文文种 and common non-公文 kinds."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class IndexSequence(models.Model):
    """The last 索引号 serial handed out per organ and year; serials are never reused."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="one_sequence_per_organ_year")]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.year}: {self.last_serial}"


class CatalogEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_organ(self, organ: Organ):
        return self.filter(organ=organ)

    def for_list(self):
        return self.select_related("organ", "theme", "theme__parent", "genre").defer("body")


class CatalogEntry(Versioned):
    organ = models.ForeignKey(
        Organ, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="entries"
    )
    index_number = models.CharField(_("索引号"), max_length=60, unique=True, editable=False)
    index_year = models.PositiveSmallIntegerField(editable=False)
    index_serial = models.PositiveIntegerField(editable=False)

    title = models.CharField(_("名称"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    publisher = models.CharField(
        _("发布机构全称"), max_length=200, blank=True, help_text=_("留空则使用机关名称。")
    )
    doc_number = models.CharField(
        _("发文字号"), max_length=100, blank=True, help_text=_("如 牡经合发〔2018〕3号")
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_date = models.DateField(_("发布日期"))
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    expiry_date = models.DateField(_("废止日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity, default=Validity.VALID)
    theme = models.ForeignKey(
        ThemeCategory, verbose_name=_("主题分类"), on_delete=models.PROTECT, related_name="entries"
    )
    genre = models.ForeignKey(Genre, verbose_name=_("体裁"), on_delete=models.PROTECT, related_name="entries")
    article_item = models.PositiveSmallIntegerField(
        _("法定主动公开内容（条例第二十条）"), choices=ArticleTwentyItem, null=True, blank=True
    )
    document_kind = models.CharField(
        _("文件类型"), max_length=10, choices=DocumentKind, default=DocumentKind.OTHER
    )
    disclosure_mode = models.CharField(
        _("公开方式"), max_length=12, choices=DisclosureMode, default=DisclosureMode.PROACTIVE
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("以空格或逗号分隔"))

    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CatalogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("目录条目")
        verbose_name_plural = _("政府信息公开目录")
        ordering = ["-publish_date", "-id"]
        indexes = [
            models.Index(
                fields=["-publish_date", "-id"],
                name="catalog_published_by_date",
                condition=models.Q(status="published"),
            ),
            models.Index(fields=["organ", "-publish_date", "-id"], name="catalog_organ_by_date"),
            # The 法定主动公开内容 pages and the 第二十条 facet list entries of one item by date.
            models.Index(
                fields=["article_item", "-publish_date", "-id"],
                name="catalog_item_by_date",
                condition=models.Q(status="published", article_item__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "index_year", "index_serial"], name="unique_index_serial"
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(effective_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("effective_date")),
                name="expiry_not_before_effective",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_entries_have_published_at",
            ),
        ]
        permissions = [
            ("review_catalogentry", _("可以审核（保密审查）目录条目")),
            ("publish_catalogentry", _("可以发布和撤回目录条目")),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", kwargs={"index_number": self.index_number})

    @property
    def publisher_name(self) -> str:
        return self.publisher or self.organ.name

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def no_longer_in_force(self) -> bool:
        return self.validity in Validity.no_longer_in_force()


class Interpretation(models.Model):
    """政策解读: one entry (文字解读, 图解, 视频解读, 问答) interprets a policy document.

    Both ends are catalog entries, usually of the same organ; another organ's entry may be linked
    once it is published (services.interpretation_link). The public pages show a link only
    while both ends are published.
    """

    policy = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("解读对象"),
        on_delete=models.CASCADE,
        related_name="interpretation_links",
    )
    interpretation = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("解读"),
        on_delete=models.CASCADE,
        related_name="policy_links",
    )
    kind = models.CharField(_("解读形式"), max_length=10, choices=InterpretationKind)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "interpretation"], name="unique_interpretation_link"),
            models.CheckConstraint(
                condition=~models.Q(policy=models.F("interpretation")),
                name="interpretation_not_of_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NormativeWithoutInterpretation(CatalogEntry):
    """未关联解读的规范性文件: the clerk's warning list in the back office (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("未关联解读的规范性文件")
        verbose_name_plural = _("未关联解读的规范性文件")


def attachment_path(instance: Attachment, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()
    return f"attachments/{instance.entry.index_year}/{instance.entry.index_number.replace('/', '_')}/{instance.token}{ext}"


class Attachment(models.Model):
    entry = models.ForeignKey(
        CatalogEntry, verbose_name=_("目录条目"), on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    # Text pulled out of the file for search (apps/catalog/extraction.py). A file that
    # cannot be read is still stored and published; only its status says why.
    text = models.TextField(_("提取的文字"), blank=True, editable=False)
    text_status = models.CharField(
        _("文字提取"),
        max_length=12,
        choices=AttachmentTextStatus,
        default=AttachmentTextStatus.PENDING,
        editable=False,
    )
    text_note = models.CharField(_("提取说明"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("catalog:attachment", kwargs={"token": self.token})


class SearchDocument(models.Model):
    """What public search reads: one row per *published* entry (apps/catalog/search.py).

    ``head`` and ``body`` are the folded text (search.document_text); the facet columns
    repeat the entry's so that the index keys and the facet counts of a search need no
    join. The services keep this row in step with the entry and its attachments.
    """

    entry = models.OneToOneField(
        CatalogEntry, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    publish_date = models.DateField()
    organ_id = models.BigIntegerField()
    theme_id = models.BigIntegerField()
    genre_id = models.BigIntegerField()
    validity = models.CharField(max_length=10)
    article_item = models.PositiveSmallIntegerField(null=True)
    head = models.TextField()
    body = models.TextField()

    class Meta:
        indexes = [
            # Trigrams, head trigrams and facet/date keys, computed by PostgreSQL from the
            # folded text (migration 0006): nothing but the text is stored per entry.
            GinIndex(
                Func(
                    F("head"),
                    F("body"),
                    F("publish_date"),
                    F("organ_id"),
                    F("theme_id"),
                    F("genre_id"),
                    F("validity"),
                    F("article_item"),
                    function="catalog_search_keys",
                    output_field=SearchVectorField(),
                ),
                name="catalog_search_keys_gin",
                # A pending list for new keys, kept short (gin_pending_list_limit 256 kB on the
                # portal's connections): searches scan it, saves append to it, and a large
                # import has it merged alongside (search_upkeep.keys_merged_alongside).
                fastupdate=True,
            ),
            models.Index(fields=["-publish_date", "-entry"], name="catalog_search_by_date"),
        ]

    def __str__(self) -> str:
        return f"search document of entry {self.entry_id}"


class SearchGramStat(models.Model):
    """How common a gram is in the documents of a year, from a sample (search statistics).

    Only grams found in at least STAT_MIN_SHARE of a year's sampled documents are kept;
    ``gram`` "" holds the year's document count. The search uses these shares to decide
    how many days, months or years to read at once; results never depend on them.
    """

    gram = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    share = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "year"], name="unique_gram_year")]

    def __str__(self) -> str:
        return f"{self.gram!r} {self.year}: {self.share:.4f}"
