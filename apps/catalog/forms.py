"""Back-office forms for catalog entries, their attachments and their import."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from import_export.forms import ConfirmImportForm, ImportForm

from apps.catalog.models import Attachment, CatalogEntry, ThemeCategory
from apps.catalog.services import CONTENT_FIELDS
from apps.catalog.validators import allowed_extensions, validate_attachment
from apps.organs.locking import VersionedForm
from apps.organs.models import Organ


def themes_in_tree_order():
    """Each 一级 class followed by its 二级 classes, as on gov.cn."""
    return ThemeCategory.objects.select_related("parent").order_by(
        Coalesce("parent__sort_order", "sort_order"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "sort_order",
        "pk",
    )


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ThemeCategory) -> str:
        return obj.path  # 一级\二级


class CatalogEntryAdminForm(VersionedForm):
    """The content of an entry; its state moves only on the 审核与发布 page (apps/organs/admin_review.py)."""

    class Meta:
        model = CatalogEntry
        # The organ, then exactly the content the review covers (one list, in the services).
        fields = ("organ", *CONTENT_FIELDS)
        field_classes = {"theme": ThemeChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "theme" in self.fields:
            self.fields["theme"].queryset = themes_in_tree_order()
            self.fields["theme"].help_text = _("按“一级\\二级”选择，如 综合政务\\政务公开。")


class AttachmentInlineForm(forms.ModelForm):
    """New rows take an upload, checked by validators.validate_attachment; saved rows only
    change their order (replace a file by deleting the row and uploading again)."""

    class Meta:
        model = Attachment
        fields = ("file", "sort_order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        exts = allowed_extensions()
        self.fields["file"].widget = forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in exts)}
        )
        self.fields["file"].help_text = _("允许的类型：%(types)s。") % {
            "types": "、".join(e for e in exts if e != "jpeg")
        }
        if self.instance.pk:
            self.fields["file"].disabled = True
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_attachment(upload)
        return upload


class EntryImportForm(ImportForm):
    """The import form; superusers (who belong to no organ) choose the organ to import into."""

    organ = forms.ModelChoiceField(label=_("导入到机关"), queryset=Organ.objects.none())

    def __init__(self, formats, resources, *, organs=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        if organs is None:
            del self.fields["organ"]
        else:
            self.fields["organ"].queryset = organs
        self.fields["import_file"].label = _("导入文件")
        self.fields["import_file"].help_text = _(
            "CSV（UTF-8 或 GBK 编码）或 XLSX 文件，第1行为表头，列名见上。行号按表格中的行计算，表头为第1行。"
        )
        self.fields["format"].label = _("文件格式")


class EntryConfirmImportForm(ConfirmImportForm):
    organ = forms.ModelChoiceField(queryset=Organ.objects.all(), widget=forms.HiddenInput, required=False)
