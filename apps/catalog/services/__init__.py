"""Every write to the catalog goes through these functions (admin, import, commands, tests).

An entry is published after review (apps/organs/review.py): 信息员 drafts, 审核人 approves or
returns it with an opinion, 发布人 publishes it and withdraws it with a reason. Each step and each
change of the content is appended to the entry's history. ``actor=None`` is the system
(management commands, demo data); the admin and the import always pass the user.

The admin, the import, the commands and the demo call the names below.
"""

from apps.catalog.services.entries import (
    CHAIN,
    CHANGEABLE_WHILE_PUBLISHED,
    CONTENT_FIELDS,
    attachment_add,
    attachment_delete,
    attachment_extract_text,
    attachment_update,
    entry_approve,
    entry_create,
    entry_delete,
    entry_document_text,
    entry_insert,
    entry_is_deletable,
    entry_publish,
    entry_return,
    entry_update,
    entry_withdraw,
    format_index_number,
    index_number_allocate,
    search_document_refresh,
)
from apps.catalog.services.interpretations import (
    interpretation_link,
    interpretation_unlink,
    interpretation_update,
)

__all__ = [
    "CHAIN",
    "CHANGEABLE_WHILE_PUBLISHED",
    "CONTENT_FIELDS",
    "attachment_add",
    "attachment_delete",
    "attachment_extract_text",
    "attachment_update",
    "entry_approve",
    "entry_create",
    "entry_delete",
    "entry_document_text",
    "entry_insert",
    "entry_is_deletable",
    "entry_publish",
    "entry_return",
    "entry_update",
    "entry_withdraw",
    "format_index_number",
    "index_number_allocate",
    "interpretation_link",
    "interpretation_unlink",
    "interpretation_update",
    "search_document_refresh",
]
