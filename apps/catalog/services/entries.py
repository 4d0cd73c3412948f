"""Catalog entries and their attachments: drafting, review, publication, withdrawal, search documents."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog import extraction, search
from apps.catalog.enums import AttachmentTextStatus, Status
from apps.catalog.models import Attachment, CatalogEntry, IndexSequence, SearchDocument
from apps.catalog.validators import clean_original_name, validate_attachment
from apps.organs import review
from apps.organs.enums import RecordAction
from apps.organs.locking import lock
from apps.organs.models import Organ

CHAIN = review.Chain(
    state_field="status",
    review_permission="catalog.review_catalogentry",
    publish_permission="catalog.publish_catalogentry",
)
#: The content the review covers: a change goes back to draft, and the history shows it.
CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "publisher",
    "doc_number",
    "written_date",
    "publish_date",
    "effective_date",
    "expiry_date",
    "validity",
    "theme",
    "genre",
    "article_item",
    "document_kind",
    "disclosure_mode",
    "keywords",
)
#: What may change on a published entry: a document being repealed or expiring stays public.
CHANGEABLE_WHILE_PUBLISHED = ("validity", "effective_date", "expiry_date")


def index_number_allocate(*, organ: Organ, year: int) -> tuple[int, str]:
    """Hand out the next 索引号 serial of an organ's year: race-free and never reused.

    A single INSERT ... ON CONFLICT DO UPDATE ... RETURNING takes the row lock, so
    concurrent transactions queue on it and each gets its own serial. Serials of
    deleted drafts are not given back.
    """
    table = IndexSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (organ_id, year, last_serial) VALUES (%s, %s, 1)
            ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = {table}.last_serial + 1
            RETURNING last_serial
            """,
            [organ.pk, year],
        )
        serial = cursor.fetchone()[0]
    return serial, format_index_number(organ.index_prefix, year, serial)


def format_index_number(prefix: str, year: int, serial: int) -> str:
    """<前段码>/<YYYY>-<NNNNN> (政府信息公开目录系统实施指引)."""
    return f"{prefix}/{year:04d}-{serial:05d}"


_DOCUMENT_COLUMNS = ("publish_date", "organ_id", "theme_id", "genre_id", "validity", "article_item")


def entry_document_text(entry: CatalogEntry, attachments: Sequence[str]) -> search.DocumentText:
    """The folded search text of an entry and its attachments' texts (in their order)."""
    return search.document_text(
        title=entry.title,
        doc_number=entry.doc_number,
        index_number=entry.index_number,
        keywords=entry.keywords,
        summary=entry.summary,
        body=entry.body,
        attachments=attachments,
    )


def search_document_refresh(*, entry: CatalogEntry) -> None:
    """Bring the entry's search document in step with it (apps/catalog/search.py).

    Only published entries have one: it is written (one upsert) for a published entry and
    removed otherwise. Called by every service that changes an entry or its attachments.
    """
    if entry.status != Status.PUBLISHED:
        SearchDocument.objects.filter(entry_id=entry.pk).delete()
        return
    attachments = entry.attachments.order_by("sort_order", "pk").values_list("text", flat=True)
    text = entry_document_text(entry, list(attachments))
    document = SearchDocument(
        entry_id=entry.pk,
        head=text.head,
        body=text.body,
        **{name: getattr(entry, name) for name in _DOCUMENT_COLUMNS},
    )
    SearchDocument.objects.bulk_create(
        [document],
        update_conflicts=True,
        unique_fields=["entry"],
        update_fields=["head", "body", *_DOCUMENT_COLUMNS],
    )


@transaction.atomic
def entry_create(*, organ: Organ, created_by=None, publish: bool = False, **fields) -> CatalogEntry:
    entry = CatalogEntry(organ=organ, created_by=created_by, **fields)
    return entry_insert(entry=entry, publish=publish)


@transaction.atomic
def entry_insert(*, entry: CatalogEntry, publish: bool = False) -> CatalogEntry:
    """Save a new, unsaved entry (organ and fields already set) with a fresh 索引号.

    entry_create builds the instance from keyword fields; the admin and the import
    already hold an instance filled from a form or a row, and save it in place here.
    The actor is ``entry.created_by``. ``publish`` registers a document that is already public
    (an old catalog imported): only the system or someone holding both the review and the
    publish role may, and the history says who vouched for it.
    """
    if entry.pk is not None:
        raise ValueError("entry_insert() saves new entries only; use entry_update().")
    actor = entry.created_by
    entry.status = Status.DRAFT
    note = review.check_register_published(entry, CHAIN, actor=actor) if publish else ""
    if not entry.publish_date:
        entry.publish_date = timezone.localdate()
    entry.index_year = entry.publish_date.year
    # full_clean before allocating, so that a bad entry does not use up a serial.
    entry.index_serial, entry.index_number = 0, "pending"
    entry.full_clean(exclude=["index_number", "index_serial"])
    entry.index_serial, entry.index_number = index_number_allocate(organ=entry.organ, year=entry.index_year)
    if publish:
        entry.status = Status.PUBLISHED
        entry.published_at = timezone.now()
    entry.save()
    review.record_event(entry, action=RecordAction.CREATED, actor=actor, state=Status.DRAFT)
    if publish:
        search_document_refresh(entry=entry)
        review.record_event(
            entry, action=RecordAction.PUBLISHED, actor=actor, state=Status.PUBLISHED, note=note
        )
    return entry


def _take_state(entry: CatalogEntry, expected_version: int | None) -> CatalogEntry:
    """Lock the row (refusing a stale version) and take its state: the services own the state."""
    stored = lock(entry, expected_version)
    entry.status = stored.status
    entry.published_at, entry.withdrawn_at = stored.published_at, stored.withdrawn_at
    entry.withdrawn_reason = stored.withdrawn_reason
    return stored


@transaction.atomic
def entry_update(
    *, entry: CatalogEntry, actor=None, expected_version: int | None = None, **fields
) -> CatalogEntry:
    """Change the content: a reviewed, returned or withdrawn entry goes back to draft (it must be
    reviewed again); a published one may change only its validity and dates until withdrawn."""
    stored = _take_state(entry, expected_version)
    for name, value in fields.items():
        setattr(entry, name, value)
    changes = review.changes_between(stored, entry, CONTENT_FIELDS)
    if changes and entry.status == Status.PUBLISHED and actor is not None:
        locked = [c["label"] for c in changes if c["field"] not in CHANGEABLE_WHILE_PUBLISHED]
        if locked:
            raise ValidationError(
                _(
                    "已发布的条目只能修改有效性和生效、废止日期。要修改“%(fields)s”，请先撤回，改好后重新审核发布。"
                )
                % {"fields": "、".join(locked)},
                code="published",
            )
    if changes and entry.status != Status.PUBLISHED:
        review.reopen_on_change(entry, CHAIN)
    entry.full_clean()
    entry.save()
    search_document_refresh(entry=entry)
    if changes:
        review.record_event(
            entry, action=RecordAction.CHANGED, actor=actor, state=entry.status, changes=changes
        )
    return entry


@transaction.atomic
def entry_approve(
    *, entry: CatalogEntry, actor, opinion: str = "", expected_version: int | None = None
) -> CatalogEntry:
    """保密审查 passed: the 审核人 approves the draft (see apps/organs/review.py)."""
    _take_state(entry, expected_version)
    review.approve(entry, CHAIN, actor=actor, opinion=opinion)
    return entry


@transaction.atomic
def entry_return(
    *, entry: CatalogEntry, actor, opinion: str, expected_version: int | None = None
) -> CatalogEntry:
    """The 审核人 returns the draft to the 信息员 with an opinion (退回修改)."""
    _take_state(entry, expected_version)
    review.send_back(entry, CHAIN, actor=actor, opinion=opinion)
    return entry


@transaction.atomic
def entry_publish(
    *,
    entry: CatalogEntry,
    actor=None,
    when: dt.datetime | None = None,
    expected_version: int | None = None,
) -> CatalogEntry:
    """The 发布人 publishes an approved entry; a draft cannot be published without a review."""
    _take_state(entry, expected_version)
    note = review.check_publish(entry, CHAIN, actor=actor)
    entry.status = Status.PUBLISHED
    entry.published_at = when or timezone.now()
    entry.withdrawn_at = None
    entry.withdrawn_reason = ""
    review.save_state(entry, CHAIN, "published_at", "withdrawn_at", "withdrawn_reason")
    search_document_refresh(entry=entry)
    review.record_event(entry, action=RecordAction.PUBLISHED, actor=actor, state=entry.status, note=note)
    return entry


@transaction.atomic
def entry_withdraw(
    *, entry: CatalogEntry, reason: str, actor=None, expected_version: int | None = None
) -> CatalogEntry:
    """Withdrawing hides the entry from the public but keeps the record and its 索引号; the reason
    is required and kept in the history."""
    _take_state(entry, expected_version)
    reason = review.check_withdraw(entry, CHAIN, actor=actor, reason=reason)
    entry.status = Status.WITHDRAWN
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_reason = reason[:300]
    review.save_state(entry, CHAIN, "withdrawn_at", "withdrawn_reason")
    search_document_refresh(entry=entry)
    review.record_event(entry, action=RecordAction.WITHDRAWN, actor=actor, state=entry.status, opinion=reason)
    return entry


def entry_is_deletable(entry: CatalogEntry) -> bool:
    """Only an entry that was never public: its 索引号 was never shown."""
    return entry.published_at is None and entry.status in (Status.DRAFT, Status.RETURNED, Status.REVIEWED)


@transaction.atomic
def entry_delete(*, entry: CatalogEntry, actor=None) -> None:
    """Delete a draft. Published or withdrawn entries are kept: their 索引号 was public.

    The serial is not given back (IndexSequence only moves forward); the history stays.
    """
    _take_state(entry, None)
    if not entry_is_deletable(entry):
        raise ValidationError(
            _("只能删除草稿。已发布或已撤回的条目请使用“撤回”，记录和索引号将保留。"), code="not_draft"
        )
    names = [a.file.name for a in entry.attachments.all() if a.file]
    review.record_event(entry, action=RecordAction.DELETED, actor=actor, state=entry.status)
    entry.delete()
    _delete_files_on_commit(names)


def _attachments_changed(entry: CatalogEntry, *, actor, old: str, new: str, reopen: bool = True) -> None:
    """Attachments are content: the same rules and the same history as the entry's fields."""
    _take_state(entry, None)
    if entry.status == Status.PUBLISHED and actor is not None and reopen:
        raise ValidationError(_("已发布的条目不能增删附件，请先撤回，改好后重新审核发布。"), code="published")
    if reopen and review.reopen_on_change(entry, CHAIN):
        review.save_state(entry, CHAIN)
    change = {"field": "attachments", "label": str(_("附件")), "old": old, "new": new}
    review.record_event(entry, action=RecordAction.CHANGED, actor=actor, state=entry.status, changes=[change])


def _delete_files_on_commit(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def attachment_add(
    *, entry: CatalogEntry, uploaded_file: UploadedFile, sort_order: int | None = None, actor=None
) -> Attachment:
    """Attach an uploaded file to a saved entry after checking its type, content and size.

    The original filename is kept for display and download; the stored name is a random
    token, so nothing the clerk typed ends up in a filesystem path.
    """
    if entry.pk is None:
        raise ValueError("Save the entry before adding attachments.")
    kind = validate_attachment(uploaded_file)
    _attachments_changed(entry, actor=actor, old="", new=clean_original_name(uploaded_file.name or ""))
    if sort_order is None:
        last = entry.attachments.order_by("-sort_order").values_list("sort_order", flat=True).first()
        sort_order = 0 if last is None else last + 1
    original_name = clean_original_name(uploaded_file.name or "")
    attachment = Attachment(
        entry=entry,
        token=secrets.token_hex(16),
        original_name=original_name,
        size=uploaded_file.size,
        content_type=kind.content_type,
        sort_order=sort_order,
    )
    uploaded_file.seek(0)
    _set_text(attachment, uploaded_file.read())
    uploaded_file.seek(0)
    attachment.file.save(original_name, uploaded_file, save=False)
    # Django has no on_rollback hook: if an enclosing transaction rolls back later, the
    # stored file stays orphaned under a random name (harmless, never linked).
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    search_document_refresh(entry=entry)
    return attachment


def _set_text(attachment: Attachment, data: bytes) -> None:
    """Extract the file's text for search; a file that cannot be read is flagged, never refused."""
    result = extraction.extract_text(
        data, name=attachment.original_name, content_type=attachment.content_type
    )
    attachment.text, attachment.text_status, attachment.text_note = result.text, result.status, result.note


@transaction.atomic
def attachment_extract_text(*, attachment: Attachment) -> Attachment:
    """(Re)extract the text of a stored attachment, e.g. one uploaded before extraction existed."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        attachment.text, attachment.text_status = "", AttachmentTextStatus.UNREADABLE
        attachment.text_note = f"文件不存在或无法打开：{exc.strerror or exc}"[:200]
    else:
        _set_text(attachment, data)
    attachment.save(update_fields=["text", "text_status", "text_note"])
    search_document_refresh(entry=attachment.entry)
    return attachment


@transaction.atomic
def attachment_update(*, attachment: Attachment, sort_order: int, actor=None) -> Attachment:
    """Only the order changes: no new content, so no new review."""
    if attachment.sort_order != sort_order:
        _attachments_changed(
            attachment.entry,
            actor=actor,
            old=f"{attachment.original_name}（{attachment.sort_order}）",
            new=f"{attachment.original_name}（{sort_order}）",
            reopen=False,
        )
    attachment.sort_order = sort_order
    attachment.full_clean()
    attachment.save(update_fields=["sort_order"])
    search_document_refresh(entry=attachment.entry)
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor=None) -> None:
    name = attachment.file.name
    entry = attachment.entry
    _attachments_changed(attachment.entry, actor=actor, old=attachment.original_name, new="")
    attachment.delete()
    search_document_refresh(entry=entry)
    if name:
        _delete_files_on_commit([name])
