"""Optimistic locking: of two clerks who opened the same record, the second save is refused.

Each case opens the admin change form twice (two browser tabs, two clerks), saves the first with
one value and the second with another: the second comes back with the name of who changed the
record, the clerk's own input kept in the form, and the first value stays in the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from apps.organs.locking import check_version
from apps.proactive.enums import NormativeKind
from apps.proactive.services import table2_override_set
from apps.reports import services as report_services
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from tests.admin_forms import change_form_data
from tests.factories import CatalogEntryFactory, MembershipFactory, OrganPageFactory
from tests.factories.records import CaseFactory, ProposalFactory, PublicationFactory, YearTallyFactory

pytestmark = pytest.mark.django_db

STALE = "该记录已被他人修改"


def _organ(organ_a, organ_b):
    return organ_a, "phone", "0453-1111111", "0453-2222222"


def _organ_page(organ_a, organ_b):
    return OrganPageFactory(organ=organ_a), "title", "指南（甲改）", "指南（乙改）"


def _membership(organ_a, organ_b):
    return MembershipFactory(organ=organ_a), "organ", organ_b.pk, organ_a.pk


def _catalog_entry(organ_a, organ_b):
    return CatalogEntryFactory(organ=organ_a, publish=False), "title", "通知（甲改）", "通知（乙改）"


def _proposal(organ_a, organ_b):
    return ProposalFactory(organ=organ_a), "title", "提案（甲改）", "提案（乙改）"


def _case(organ_a, organ_b):
    return CaseFactory(organ=organ_a), "applicant", "王五", "赵六"


def _publication(organ_a, organ_b):
    return PublicationFactory(organ=organ_a), "title", "招商动态（甲改）", "招商动态（乙改）"


def _year_tally(organ_a, organ_b):
    return YearTallyFactory(organ=organ_a), "licensing", 11, 22


def _table2_override(organ_a, organ_b):
    override = table2_override_set(
        organ=organ_a,
        year=2024,
        kind=NormativeKind.NORMATIVE,
        issued=1,
        repealed=0,
        in_force=5,
        reason="2015年以前的文件未录入目录。",
        set_by=None,
    )
    return override, "reason", "甲：补录前的文件。", "乙：另一个原因。"


def _annual_report(organ_a, organ_b):
    return (
        report_services.report_create(organ=organ_a, year=2024),
        "signature",
        "市经合局（甲）",
        "市经合局（乙）",
    )


def _calendar_year(organ_a, organ_b):
    return CalendarYear.objects.create(year=2031), "note", "甲的备注", "乙的备注"


def _calendar_day(organ_a, organ_b):
    year = CalendarYear.objects.create(year=2031)
    day = CalendarDay.objects.create(
        calendar_year=year, date=dt.date(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦"
    )
    return day, "name", "元旦（甲）", "元旦（乙）"


CASES = {
    "organ": _organ,
    "organ page": _organ_page,
    "membership": _membership,
    "catalog entry": _catalog_entry,
    "proposal": _proposal,
    "case": _case,
    "publication": _publication,
    "year tally": _year_tally,
    "table 2 override": _table2_override,
    "annual report": _annual_report,
    "calendar year": _calendar_year,
    "calendar day": _calendar_day,
}
#: Records only superusers edit.
SUPERUSER_ONLY = {"membership", "calendar year", "calendar day"}


def _value(record, field):
    value = getattr(record, f"{field}_id" if hasattr(record, f"{field}_id") else field)
    return str(value) if isinstance(value, (int, Decimal)) else value


@pytest.mark.parametrize("name", CASES)
def test_the_second_of_two_concurrent_saves_is_refused_and_the_first_kept(
    client, alice, root, organ_a, organ_b, name
):
    record, field, first, second = CASES[name](organ_a, organ_b)
    user = root if name in SUPERUSER_ONLY else alice
    client.force_login(user)
    url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    tab_a = change_form_data(client.get(url))
    tab_b = change_form_data(client.get(url))
    assert tab_a["version"] == str(record.version)

    saved = client.post(url, {**tab_a, field: first})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    refused = client.post(url, {**tab_b, field: second})

    assert refused.status_code == 200
    content = refused.content.decode()
    assert STALE in content
    assert user.username in content  # who changed it
    assert refused.context["adminform"].form[field].value() in (second, str(second))  # input kept
    record.refresh_from_db()
    assert _value(record, field) == str(first) if not isinstance(first, str) else first
    assert record.version == int(tab_a["version"]) + 1


def test_a_reloaded_form_saves_after_the_refusal(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, publish=False)
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_change", args=[entry.pk])
    stale = change_form_data(client.get(url))
    client.post(url, {**change_form_data(client.get(url)), "title": "先保存的标题"})
    assert client.post(url, {**stale, "title": "后保存的标题"}).status_code == 200

    fresh = change_form_data(client.get(url))
    assert fresh["title"] == "先保存的标题"
    assert client.post(url, {**fresh, "title": "刷新后保存的标题"}).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "刷新后保存的标题"


def test_check_version_refuses_a_stale_version_and_accepts_the_current_one(organ_a):
    page = OrganPageFactory(organ=organ_a)
    check_version(page, page.version)
    check_version(page, None)  # nothing loaded to compare
    page.save()
    with pytest.raises(ValidationError, match=STALE):
        check_version(page, page.version - 1)


def test_every_save_bumps_the_version_even_with_update_fields(organ_a):
    page = OrganPageFactory(organ=organ_a)
    assert page.version == 1
    page.title = "新标题"
    page.save(update_fields=["title"])
    page.refresh_from_db()
    assert page.version == 2
