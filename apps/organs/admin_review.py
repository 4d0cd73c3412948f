"""The review chain in the back office: the 审核与发布 page of a record, its state and history
on the change form (read-only fields ``review_status`` and ``review_history``), and the steps. Every step calls the app's services (apps/organs/review.py checks the roles too).

A ModelAdmin of a reviewed model inherits ReviewAdminMixin, names its ``review_chain`` and
implements the steps it offers (``review_approve``, ``review_return``, ``review_publish``,
``review_withdraw``); a step it leaves out is not offered.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.organs import review
from apps.organs.enums import RecordAction, ReviewState
from apps.organs.models import RecordEvent
from apps.organs.roles import is_city_office
from apps.organs.selectors import organ_for_user


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else f"{text[:limit]}…"


def _changes_html(event: RecordEvent) -> str:
    if not event.changes:
        return "—"
    return format_html_join(
        "",
        "<div><strong>{}</strong>：{} → {}</div>",
        (
            (change["label"], _short(change["old"]) or _("（空）"), _short(change["new"]) or _("（空）"))
            for change in event.changes
        ),
    )


#: The steps: (code, button label, whether a text is required, the label of that text).
STEPS = {
    "approve": (gettext_lazy("审核通过"), False),
    "return": (gettext_lazy("退回修改"), True),
    "publish": (gettext_lazy("发布"), False),
    "withdraw": (gettext_lazy("撤回"), True),
}


class ReviewAdminMixin:
    review_chain: review.Chain
    review_template = "admin/review/review.html"

    # -- the steps an admin offers (its services) ------------------------------------------------

    def review_steps(self) -> list[str]:
        return [code for code in STEPS if hasattr(self, f"review_{code}")]

    # -- who may ---------------------------------------------------------------------------------

    def _holds_anywhere(self, request, permission: str) -> bool:
        user = request.user
        if not user.is_active or is_city_office(user):
            return False
        return user.is_superuser or (organ_for_user(user) is not None and user.has_perm(permission))

    def has_review_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return review.may_review(request.user, obj, self.review_chain)
        return self._holds_anywhere(request, self.review_chain.review_permission)

    def has_publish_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return review.may_publish(request.user, obj, self.review_chain)
        return self._holds_anywhere(request, self.review_chain.publish_permission)

    def allowed_steps(self, request, obj) -> list[str]:
        """The steps this user may take on this record now (its state and their role)."""
        state = self.review_chain.state(obj)
        possible = {
            "approve": state in self.review_chain.reviewable and self.has_review_permission(request, obj),
            "return": state in review.RETURNABLE and self.has_review_permission(request, obj),
            "publish": state == ReviewState.REVIEWED and self.has_publish_permission(request, obj),
            "withdraw": state == ReviewState.PUBLISHED and self.has_publish_permission(request, obj),
        }
        return [code for code in self.review_steps() if possible[code]]

    # -- the change form: state, last opinion and the history as read-only fields --------------

    @staticmethod
    def _events(obj) -> list[RecordEvent]:
        """The record's history, read once per page (the status and the history both show it)."""
        if not hasattr(obj, "_review_events"):
            obj._review_events = list(review.history(obj))
        return obj._review_events

    @admin.display(description=gettext_lazy("审核与修改记录"))
    def review_history(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    event.at.strftime("%Y-%m-%d %H:%M"),
                    event.get_action_display(),
                    event.actor_label,
                    _changes_html(event),
                    event.opinion or "—",
                    event.note or "",
                )
                for event in self._events(obj)
            ),
        )
        return format_html(
            '<table class="review-history"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            _("时间"),
            _("操作"),
            _("操作人"),
            _("修改内容"),
            _("审核意见或原因"),
            _("说明"),
            rows,
        )

    @admin.display(description=gettext_lazy("审核状态"))
    def review_status(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("保存后由审核人审核")
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_review", args=[obj.pk])
        event = next(
            (
                e
                for e in reversed(self._events(obj))
                if e.action in (RecordAction.APPROVED, RecordAction.RETURNED, RecordAction.WITHDRAWN)
                and e.opinion
            ),
            None,
        )
        opinion = (
            format_html(
                "<br>{}（{}，{}）：{}",
                event.get_action_display(),
                event.actor_label,
                event.at.strftime("%Y-%m-%d %H:%M"),
                event.opinion,
            )
            if event is not None
            else ""
        )
        return format_html(
            '<strong>{}</strong>{} <br><a href="{}">{}</a>',
            self.review_chain.state_label(obj),
            opinion,
            url,
            _("审核与发布"),
        )

    # -- the 审核与发布 page --------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        allowed = self.allowed_steps(request, obj)
        error = ""
        text = ""
        if request.method == "POST":
            step = request.POST.get("step", "")
            text = request.POST.get("text", "")
            if step not in STEPS or step not in self.review_steps():
                raise Http404
            if step not in allowed:
                raise PermissionDenied
            try:
                getattr(self, f"review_{step}")(request, obj, text)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                self.message_user(
                    request,
                    _("%(record)s：%(step)s。") % {"record": obj, "step": STEPS[step][0]},
                    messages.SUCCESS,
                )
                change_url = reverse(
                    f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("审核与发布：%(record)s") % {"record": obj},
            "state": self.review_chain.state_label(obj),
            "steps": [(code, STEPS[code][0], STEPS[code][1]) for code in allowed],
            "events": review.history(obj),
            "error": error,
            "text": text,
            "change_url": reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            ),
        }
        return TemplateResponse(request, self.review_template, context, status=400 if error else 200)
