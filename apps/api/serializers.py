"""The JSON shapes of the API. Field names are English; labels follow the page's language."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.ReadOnlyField):
    """A path (a model's get_absolute_url, or a reversed URL) as an absolute URL."""

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


@extend_schema_field({"type": "number", "nullable": True})
class NumberField(serializers.ReadOnlyField):
    """A count or an amount; null where the report prints "/" (不适用)."""


# Organs -------------------------------------------------------------------------------------------


class OrganRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class OrganSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    code = serializers.CharField(
        help_text="统一社会信用代码 or 组织机构代码: the prefix of the organ's 索引号"
    )
    parent = serializers.CharField(source="parent.slug", allow_null=True, help_text="The parent organ's slug")
    office_name = serializers.CharField()
    office_address = serializers.CharField()
    postal_code = serializers.CharField()
    office_hours = serializers.CharField()
    phone = serializers.CharField()
    fax = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()
    url = AbsoluteURLField(source="get_absolute_url")


# Catalog ------------------------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="bytes")
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = AbsoluteURLField(source="get_absolute_url")


class EntrySerializer(serializers.Serializer):
    index_number = serializers.CharField(help_text="索引号")
    title = serializers.CharField(help_text="名称")
    summary = serializers.CharField(help_text="内容概述")
    organ = OrganRefSerializer()
    publisher = serializers.CharField(source="publisher_name", help_text="发布机构")
    doc_number = serializers.CharField(help_text="发文字号")
    written_date = serializers.DateField(allow_null=True, help_text="成文日期")
    publish_date = serializers.DateField(help_text="发布日期")
    effective_date = serializers.DateField(allow_null=True, help_text="生效日期")
    expiry_date = serializers.DateField(allow_null=True, help_text="废止日期")
    validity = serializers.CharField(help_text="有效性: valid, expired, repealed, na")
    validity_label = serializers.CharField(source="get_validity_display")
    theme = serializers.CharField(source="theme.path", help_text="主题分类, 一级\\二级")
    theme_id = serializers.IntegerField()
    genre = serializers.CharField(source="genre.name", help_text="体裁")
    article_item = serializers.IntegerField(allow_null=True, help_text="条例第二十条 item, 1-15")
    document_kind = serializers.CharField(help_text="rule (规章), normative (行政规范性文件), other")
    disclosure_mode = serializers.CharField(help_text="proactive (主动公开), on_request (依申请公开)")
    keywords = serializers.CharField(help_text="关键词")
    url = AbsoluteURLField(source="get_absolute_url")


class EntryDetailSerializer(EntrySerializer):
    body = serializers.CharField(help_text="正文")
    attachments = AttachmentSerializer(many=True, source="attachments.all")


class EntryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one")
    results = EntrySerializer(many=True)


# Tables (annual reports and statistics) -------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    values = serializers.ListField(child=NumberField(), help_text="One value per column")


class BlockSerializer(serializers.Serializer):
    caption = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)


class TableSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="table2, table3 or table4")
    title = serializers.CharField()
    blocks = BlockSerializer(many=True)


# Annual reports -----------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    organ = OrganRefSerializer()
    year = serializers.IntegerField()
    title = serializers.CharField()
    format = serializers.CharField()
    format_label = serializers.CharField(source="get_format_display")
    latest_version = serializers.IntegerField()
    url = AbsoluteURLField(source="get_absolute_url")
    api_url = AbsoluteURLField()


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    correction_note = serializers.CharField()
    html_sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    url = AbsoluteURLField(source="get_absolute_url")
    pdf_url = AbsoluteURLField(source="get_pdf_url")


class DownloadLinksSerializer(serializers.Serializer):
    csv = serializers.URLField()
    xlsx = serializers.URLField()
    json = serializers.URLField()


class ReportVersionSerializer(serializers.Serializer):
    organ = OrganRefSerializer(source="report.organ")
    year = serializers.IntegerField(source="report.year")
    title = serializers.CharField(source="report.title")
    format = serializers.CharField(source="report.format")
    version = VersionSerializer()
    versions = VersionSerializer(many=True)
    tables = TableSerializer(many=True)
    downloads = DownloadLinksSerializer()


# City-wide statistics -------------------------------------------------------------------------------


class YearSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    applications_new = serializers.IntegerField(help_text="本年新收政府信息公开申请数量")
    applications_closed = serializers.IntegerField(help_text="本年度办理结果 总计")
    applications_carried_out = serializers.IntegerField(help_text="结转下年度继续办理")
    catalog_entries = serializers.IntegerField(help_text="Catalog entries published in the year")
    api_url = AbsoluteURLField()


class OrganTableSerializer(serializers.Serializer):
    organ = OrganRefSerializer()
    table3 = BlockSerializer()


class YearStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    catalog_entries = serializers.IntegerField()
    table3 = BlockSerializer(help_text="Table 3 added up over every organ")
    table4 = BlockSerializer(help_text="Table 4 added up over every organ")
    organs = OrganTableSerializer(many=True)
