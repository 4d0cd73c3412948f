"""The public column of 建议提案办理复文
(国办发〔2014〕46号, docs/domain/casework.md#publication-of-replies).

Only replies whose publication date has come are shown: 摘要公开 shows the summary,
全文公开 also offers the reply document. Nothing else of the record is public.
"""

from __future__ import annotations

import os

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.organs.selectors import public_organs
from apps.proposals import selectors
from apps.proposals.enums import ProposalKind, PublishMode
from apps.proposals.models import Proposal
from disclosure_portal.caching import public_page

PER_PAGE = 20
FIRST_YEAR = 2015  # 46号 asked for publication from 2015 on


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
@public_page
def reply_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organs = list(public_organs())
    organ = next((o for o in organs if o.slug == request.GET.get("organ")), None)
    year = _int(request.GET.get("year"))
    if year is not None and not FIRST_YEAR <= year <= today.year:
        year = None  # an impossible year is ignored rather than answered with an error
    kind = request.GET.get("kind") if request.GET.get("kind") in ProposalKind.values else None
    replies = selectors.published_replies(
        today=today, organ_id=organ.pk if organ else None, year=year, kind=kind
    )
    page = Paginator(replies, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/list.html",
        {
            "page": page,
            "organs": organs,
            "selected": {"organ": organ.slug if organ else "", "year": year, "kind": kind or ""},
            "years": list(range(today.year, FIRST_YEAR - 1, -1)),
            "kinds": ProposalKind.choices,
            "filtered": bool(organ or year or kind),
        },
    )


def _published(pk: int) -> Proposal:
    return get_object_or_404(selectors.published_replies(today=timezone.localdate()), pk=pk)


@require_safe
@public_page
def reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _published(pk)
    return render(
        request,
        "proposals/detail.html",
        {"proposal": proposal, "full": proposal.publish_mode == PublishMode.FULL},
    )


@require_safe
def reply_document(request: HttpRequest, pk: int) -> FileResponse:
    proposal = _published(pk)
    if proposal.publish_mode != PublishMode.FULL or not proposal.reply_document:
        raise Http404
    try:
        handle = proposal.reply_document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = os.path.splitext(proposal.reply_document.name)[1]
    filename = f"{proposal.session}{proposal.get_kind_display()}{proposal.number}答复{ext}"
    return FileResponse(handle, as_attachment=True, filename=filename)
