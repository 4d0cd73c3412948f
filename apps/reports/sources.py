"""The only door from the report to the other apps: their selectors (INTERFACES.md).

get_sources() returns an object with the selector functions. The real one imports the other apps'
selectors lazily, so that a missing selector fails with a clear message when a report is compiled,
not when Django starts. Tests may install a fake with use_sources().
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

#: attribute name -> "module:function"
SELECTORS = {
    "outcome_counts": "apps.applications.selectors:outcome_counts",
    "fee_totals": "apps.applications.selectors:fee_totals",
    "applications_in_cell": "apps.applications.selectors:applications_in_cell",
    "yearly_counts": "apps.applications.selectors:yearly_counts",
    "row_membership_problems": "apps.applications.selectors:row_membership_problems",
    "channel_counts": "apps.proactive.selectors:channel_counts",
    "printed_copies": "apps.proactive.selectors:printed_copies",
    "table2": "apps.proactive.selectors:table2",
    "publications_in": "apps.proactive.selectors:publications_in",
    "report_notes": "apps.proactive.selectors:report_notes",
    "table4": "apps.litigation.selectors:table4",
    "cases_in_cell": "apps.litigation.selectors:cases_in_cell",
    "proposal_stats": "apps.proposals.selectors:proposal_stats",
    "proposals_in": "apps.proposals.selectors:proposals_in",
    "proposal_handlings": "apps.proposals.selectors:proposal_handlings",
}


class SourceUnavailable(RuntimeError):
    pass


class _RealSources:
    def __getattr__(self, name: str) -> Any:
        try:
            target = SELECTORS[name]
        except KeyError:
            raise AttributeError(name) from None
        module_name, func_name = target.split(":")
        try:
            return getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            raise SourceUnavailable(
                _("统计来源 %(target)s 尚不可用：%(error)s") % {"target": target, "error": exc}
            ) from exc


_override: Any = None


def get_sources() -> Any:
    return _override if _override is not None else _RealSources()


@contextlib.contextmanager
def use_sources(sources: SimpleNamespace | Any) -> Iterator[None]:
    global _override
    previous, _override = _override, sources
    try:
        yield
    finally:
        _override = previous
