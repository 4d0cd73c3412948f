"""Forms of the public pages and of the back-office transitions; they validate, services write."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.applications import services
from apps.applications.enums import (
    REPLY_OUTCOMES,
    ApplicantType,
    Channel,
    ConsultationKind,
    IdentityType,
)
from apps.applications.fees import FeeMethod
from apps.applications.models import Application
from apps.organs.models import Organ
from apps.organs.uploads import validate_upload

APPLICANT_FIELDS = list(services.APPLICATION_FIELDS)


class ApplicantFieldsMixin:
    """Normalisation shared by the online form and the clerk's register.

    The cross-field rules of 条例第二十九条 (identity document for natural persons with the
    居民身份证 checksum, credit code and contact person for organisations, at least one contact)
    live in Application.clean, which ModelForm validation runs: one rule, one message.
    """

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class ApplyForm(ApplicantFieldsMixin, forms.ModelForm):
    organ = forms.ModelChoiceField(
        label=_("向哪个机关申请"),
        queryset=Organ.objects.none(),
        empty_label=_("请选择机关"),
        error_messages={
            "required": _("请选择受理申请的机关。"),
            "invalid_choice": _("请选择受理申请的机关。"),
        },
    )
    token = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": _("表单已失效，请刷新页面后重新提交。")}
    )
    accept = forms.BooleanField(
        label=_("本人承诺所填信息真实，并知悉信息将用于办理本申请。"),
        error_messages={"required": _("请阅读并勾选承诺。")},
    )

    class Meta:
        model = Application
        fields = APPLICANT_FIELDS
        widgets = {
            "info_description": forms.Textarea(attrs={"rows": 5}),
            "applicant_type": forms.RadioSelect,
        }
        error_messages = {
            "applicant_type": {"required": _("请选择申请人类型。")},
            "applicant_name": {"required": _("请填写申请人姓名或名称。")},
            "info_description": {"required": _("请描述所需政府信息的内容。")},
            "delivery_form": {"required": _("请选择信息的提供形式。")},
            "delivery_way": {"required": _("请选择获取信息的方式。")},
            "email": {"invalid": _("请输入有效的电子邮箱地址。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = Organ.objects.active()
        self.fields["id_type"].required = False
        self.fields["id_type"].choices = [("", _("请选择"))] + list(IdentityType.choices)
        self.fields["applicant_type"].choices = list(ApplicantType.choices)
        self.order_fields(["organ", *APPLICANT_FIELDS, "accept", "token"])
        for name in ("phone", "postal_code", "id_number", "credit_code"):
            self.fields[name].widget.attrs.setdefault(
                "inputmode", "numeric" if name != "credit_code" else "text"
            )
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    @classmethod
    def fresh_token(cls) -> uuid.UUID:
        return uuid.uuid4()


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        error_messages={"required": _("请输入查询码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    contact = forms.CharField(
        label=_("申请时填写的联系电话或电子邮箱"),
        max_length=254,
        error_messages={"required": _("请输入申请时填写的联系电话或电子邮箱。")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("补正内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写补正内容。"), "max_length": _("补正内容不能超过5000字。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由（可不填）"), max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_("我确认撤回本申请，撤回后本申请不再办理。"),
        error_messages={"required": _("请勾选确认撤回。")},
    )


# --- back office --------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate, **kwargs)


class TransitionForm(forms.Form):
    """Base of the back-office transition forms: carries the version seen by the clerk."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    #: service keyword arguments built from cleaned_data (version handled by the view)
    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ConfirmReceiptForm(TransitionForm):
    received_on = _date_field(_("确认收到之日"), help_text=_("与申请人确认之日（条例第三十一条）。"))
    note = forms.CharField(label=_("确认方式说明"), max_length=300, required=False)


class RequestCorrectionForm(TransitionForm):
    on = _date_field(_("告知日期"))
    items = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 4}))
    period_days = forms.IntegerField(
        label=_("补正期限（工作日）"),
        min_value=1,
        max_value=60,
        initial=15,
        help_text=_("自申请人收到补正通知次日起计算的合理期限（条例第三十条）。"),
    )


class ExtendForm(TransitionForm):
    approver = forms.CharField(label=_("批准人（政府信息公开工作机构负责人）"), max_length=100)
    notice_date = _date_field(_("告知申请人日期"))
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label=_("延期理由"), max_length=500, required=False)


class StartConsultationForm(TransitionForm):
    kind = forms.ChoiceField(label=_("征求意见对象"), choices=ConsultationKind.choices)
    party = forms.CharField(label=_("第三方或机关名称"), max_length=200)
    on = _date_field(_("发出征求意见书日期"))


class EndConsultationForm(TransitionForm):
    on = _date_field(_("意见返回日期"))
    opinion = forms.CharField(
        label=_("意见摘要"), max_length=1000, required=False, help_text=_("逾期未提出意见的，请注明。")
    )


class FeeNoticeForm(TransitionForm):
    method = forms.ChoiceField(label=_("计费方式"), choices=FeeMethod.choices)
    quantity = forms.IntegerField(label=_("件数或页数"), min_value=1)
    on = _date_field(_("收费通知日期"))


class RecordPaymentForm(TransitionForm):
    paid_on = _date_field(_("缴费日期"))
    receipt_number = forms.CharField(label=_("财政票据号码"), max_length=50)


class ReplyForm(TransitionForm):
    outcome = forms.ChoiceField(label=_("答复结果"), choices=[(o.value, o.label) for o in REPLY_OUTCOMES])
    reply_date = _date_field(_("答复日期"))
    text = forms.CharField(label=_("答复内容摘要"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    document = forms.FileField(label=_("答复书"), required=False)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_upload(document)
        return document


class WithdrawByClerkForm(TransitionForm):
    on = _date_field(_("撤回日期"))
    reason = forms.CharField(label=_("撤回说明"), max_length=500, required=False)


class CloseForm(TransitionForm):
    on = _date_field(_("终止日期"))


class NoteForm(TransitionForm):
    text = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RegisterForm(ApplicantFieldsMixin, forms.ModelForm):
    """A clerk registers an application received in person, by post, fax or e-mail."""

    channel = forms.ChoiceField(
        label=_("申请渠道"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    submitted_on = _date_field(_("提交日期"))
    received_on = forms.DateField(
        label=_("收到申请之日"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "当面提交：提交之日；挂号邮寄：签收之日；平信、传真、电子邮件：与申请人双方确认之日，尚未确认的留空，确认后再登记。"
        ),
    )
    note = forms.CharField(label=_("登记说明"), max_length=500, required=False)

    class Meta:
        model = Application
        fields = APPLICANT_FIELDS
        widgets = {"info_description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_type"].required = False
        if organs is not None:
            self.fields["organ"] = forms.ModelChoiceField(label=_("受理机关"), queryset=organs)
            if organs.count() == 1:
                self.fields["organ"].initial = organs.first().pk
        self.order_fields(["organ", "channel", "submitted_on", "received_on", *APPLICANT_FIELDS, "note"])

    def clean(self):
        cleaned = super().clean()
        submitted, received = cleaned.get("submitted_on"), cleaned.get("received_on")
        if submitted and submitted > timezone.localdate():
            self.add_error("submitted_on", _("提交日期不能晚于今天。"))
        if submitted and received and received < submitted:
            self.add_error("received_on", _("收到申请之日不能早于提交日期。"))
        return cleaned
