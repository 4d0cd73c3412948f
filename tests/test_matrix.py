"""Role × organ × URL: every admin URL and action, for nine people, against two organs' records.

Each cell says what a person may do (``allowed``: their role in their organ, the city office's
read-only view, the superuser) and checks what happened: a page shows the record (its marker) or
refuses without showing it; a POST takes effect (a state, a deletion, a version, a download) or
leaves everything as it was. Lists, exports and lookups never name another organ's records. Every
POST runs in a savepoint that is rolled back, so one world serves a person's whole row.

``test_every_admin_url_and_action_is_in_the_matrix`` fails when a URL or an action is added to the
admin without a row here. The size of the matrix is printed with ``-s`` and pinned below.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.urls.resolvers import URLPattern, URLResolver

import pytest

from apps.catalog.enums import Status
from apps.organs.enums import ReviewState
from tests.matrix_world import PDF, PERSONAS, World, build_world

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
INDEX = "/admin/"
CAPS = {
    "drafter": {"view", "add", "change", "delete", "import", "export"},
    "reviewer": {"view", "review", "export"},
    "publisher": {"view", "publish", "export"},
}


def allowed(persona: str, need: str, organ: str | None) -> bool:
    """What the rules give: a role in its own organ, the city office's reading, the superuser."""
    if need == "any":
        return True
    if persona == "anonymous":
        return False
    if need == "staff":
        return True
    if need == "nobody":
        return False
    if persona == "root":
        return True
    if need == "superuser":
        return False
    if persona == "city":
        return need in ("view", "view_any", "export")
    role, own = persona.split("_")
    if need == "view_any":
        return True
    if organ is not None and organ != own:
        return False
    return need in CAPS[role]


def sees(persona: str, organ: str) -> bool:
    if persona in ("root", "city"):
        return True
    return persona != "anonymous" and persona.endswith(f"_{organ}")


# -- the rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    need: str
    #: Kind of the record (one cell per organ), "shared:<key>" (one cell), or None.
    record: str | None
    path: Callable[[World, object], str]
    check: str = "page"
    data: Callable[[World, object], dict] | None = None
    effect: Callable[[World, object], bool] | None = None
    #: The kind whose list marker a list, export or lookup shows (checked for both organs).
    lists: str | None = None


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def _pk(record) -> int:
    return record.pk


def _status(record, field: str = "status") -> str:
    return getattr(type(record).objects.get(pk=record.pk), field)


def _gone(record) -> bool:
    return not type(record).objects.filter(pk=record.pk).exists()


#: Each model admin: (app_model, record, list kind, needs of view/add/change/delete, delete check).
MODELS = [
    ("organs_organ", "organ", "organ", ("view", "superuser", "change", "superuser"), "form"),
    ("organs_organpage", "page_draft", "page_draft", ("view", "add", "change", "delete"), "gone"),
    ("organs_membership", "shared:membership", None, ("superuser",) * 4, "gone"),
    (
        "accounts_loginattempt",
        "shared:loginattempt",
        None,
        ("superuser", "nobody", "nobody", "superuser"),
        "gone",
    ),
    ("auth_user", "shared:user", None, ("superuser",) * 4, "gone"),
    ("auth_group", "shared:group", None, ("superuser",) * 4, "gone"),
    ("catalog_catalogentry", "entry_draft", "entry_draft", ("view", "add", "change", "delete"), "gone"),
    (
        "catalog_normativewithoutinterpretation",
        "entry_published",
        "entry_published",
        ("view", "nobody", "nobody", "nobody"),
        "gone",
    ),
    (
        "catalog_themecategory",
        "shared:theme",
        None,
        ("view_any", "superuser", "superuser", "superuser"),
        "form",
    ),
    ("catalog_genre", "shared:genre", None, ("view_any", "superuser", "superuser", "superuser"), "form"),
    (
        "workdays_calendaryear",
        "shared:calendar_year",
        None,
        ("view_any", "superuser", "superuser", "superuser"),
        "gone",
    ),
    (
        "workdays_calendarday",
        "shared:calendar_day",
        None,
        ("view_any", "superuser", "superuser", "superuser"),
        "gone",
    ),
    ("applications_application", "application", "application", ("view", "staff", "change", "nobody"), "gone"),
    ("proactive_publication", "publication", "publication", ("view", "add", "change", "delete"), "gone"),
    ("proactive_yeartally", "tally", "organ", ("view", "add", "change", "delete"), "gone"),
    ("proactive_table2override", "override", "organ", ("view", "add", "change", "delete"), "gone"),
    ("litigation_case", "case", "case", ("view", "add", "change", "delete"), "gone"),
    ("proposals_proposal", "proposal_draft", "proposal_draft", ("view", "add", "change", "delete"), "gone"),
    ("reports_annualreport", "report", "organ", ("view", "add", "change", "delete"), "gone"),
]
#: Actions: (model admin, action, need, record, effect, extra data).
ACTIONS = [
    (
        "catalog_catalogentry",
        "approve_selected",
        "review",
        "entry_draft",
        lambda r: _status(r) == Status.REVIEWED,
        {},
    ),
    (
        "catalog_catalogentry",
        "publish_selected",
        "publish",
        "entry_reviewed",
        lambda r: _status(r) == Status.PUBLISHED,
        {},
    ),
    (
        "catalog_catalogentry",
        "withdraw_selected",
        "publish",
        "entry_published",
        lambda r: _status(r) == Status.WITHDRAWN,
        {"reason": "撤回测试", "confirm": "1"},
    ),
    ("accounts_loginattempt", "unlock_accounts", "superuser", "shared:loginattempt", _gone, {}),
    ("accounts_loginattempt", "unlock_addresses", "superuser", "shared:loginattempt", _gone, {}),
]


def _standard_rows() -> list[Row]:
    rows = []
    for name, record, list_kind, (view, add, change, delete), delete_check in MODELS:
        rows += [
            Row(f"{name}_changelist", "GET", view, None, lambda w, o, n=name: admin_url(f"{n}_changelist"),
                check="list", lists=list_kind),
            Row(f"{name}_add", "GET", add, None, lambda w, o, n=name: admin_url(f"{n}_add"), check="ok"),
            Row(f"{name}_add", "POST", add, None, lambda w, o, n=name: admin_url(f"{n}_add"), check="form",
                data=lambda w, o: {"_save": "保存"}),
            Row(f"{name}_change", "GET", view, record, lambda w, o, n=name: admin_url(f"{n}_change", _pk(o))),
            Row(f"{name}_change", "POST", change, record, lambda w, o, n=name: admin_url(f"{n}_change", _pk(o)),
                check="form", data=lambda w, o: {"_save": "保存"}),
            Row(f"{name}_history", "GET", view, record, lambda w, o, n=name: admin_url(f"{n}_history", _pk(o))),
            Row(f"{name}_delete", "GET", delete, record, lambda w, o, n=name: admin_url(f"{n}_delete", _pk(o))),
            Row(f"{name}_delete", "POST", delete, record, lambda w, o, n=name: admin_url(f"{n}_delete", _pk(o)),
                check="effect" if delete_check == "gone" else "form", data=lambda w, o: {"post": "yes"},
                effect=(lambda w, o: _gone(o)) if delete_check == "gone" else None),
        ]  # fmt: skip
        # Bulk delete: offered (a confirmation naming the record) only where deleting is.
        delete_selected = "nobody" if name in ("catalog_catalogentry", "accounts_loginattempt") else delete
        rows.append(
            Row(f"{name}_changelist", "POST", delete_selected, record, lambda w, o, n=name: admin_url(f"{n}_changelist"),
                check="confirm", data=lambda w, o: {"action": "delete_selected", "_selected_action": _pk(o), "index": "0"})
        )  # fmt: skip
    for name, action, need, record, effect, extra in ACTIONS:
        rows.append(
            Row(f"{name}_changelist", "POST", need, record, lambda w, o, n=name: admin_url(f"{n}_changelist"),
                check="effect", effect=lambda w, o, e=effect: e(o),
                data=lambda w, o, a=action, x=extra: {"action": a, "_selected_action": _pk(o), "index": "0", **x})
        )  # fmt: skip
    return rows


def _review_rows() -> list[Row]:
    """The 审核与发布 page of each reviewed model: looking, and each step with its role."""
    rows = []
    chains = [
        ("catalog_catalogentry", "entry", "status", True),
        ("organs_organpage", "page", "status", False),
        ("proposals_proposal", "proposal", "publication_status", True),
        ("reports_annualreport", "report", "review_state", False),
    ]
    for name, prefix, field, withdraws in chains:
        draft = "report" if prefix == "report" else f"{prefix}_draft"
        reviewed = f"{prefix}_reviewed"

        def url(w, o, n=name):
            return admin_url(f"{n}_review", _pk(o))

        def step(code, text=""):
            return lambda w, o: {"step": code, "text": text}

        def state_is(value, f=field):
            return lambda w, o: _status(o, f) == value

        rows += [
            Row(f"{name}_review", "GET", "view", draft, url),
            Row(f"{name}_review", "POST", "review", draft, url, check="effect", data=step("approve"),
                effect=state_is(ReviewState.REVIEWED)),
            Row(f"{name}_review", "POST", "review", draft, url, check="effect", data=step("return", "请修改"),
                effect=state_is(ReviewState.RETURNED)),
            Row(f"{name}_review", "POST", "publish", reviewed, url, check="effect", data=step("publish"),
                effect=state_is(ReviewState.PUBLISHED)),
        ]  # fmt: skip
        if withdraws:
            rows.append(
                Row(f"{name}_review", "POST", "publish", f"{prefix}_published", url, check="effect",
                    data=step("withdraw", "撤回测试"), effect=state_is(ReviewState.WITHDRAWN))
            )  # fmt: skip
    return rows


def _custom_rows() -> list[Row]:
    entry_list = "entry_published"
    return [
        # The catalog's import and export (clerks import into their own organ only).
        Row("catalog_catalogentry_import", "GET", "import", None, lambda w, o: admin_url("catalog_catalogentry_import"), check="ok"),
        Row("catalog_catalogentry_process_import", "POST", "import", None,
            lambda w, o: admin_url("catalog_catalogentry_process_import"), check="form", data=lambda w, o: {}),
        Row("catalog_catalogentry_export", "GET", "export", None, lambda w, o: admin_url("catalog_catalogentry_export"), check="ok"),
        Row("catalog_catalogentry_export", "POST", "export", None, lambda w, o: admin_url("catalog_catalogentry_export"),
            check="list", lists=entry_list, data=lambda w, o: {"format": "0", "resource": "0"}),
        # The lookups behind autocomplete widgets, and the "view on site" redirect of a draft.
        Row("autocomplete", "GET", "view", None, lambda w, o: admin_url("autocomplete"), check="list", lists="entry_draft",
            data=lambda w, o: {"app_label": "catalog", "model_name": "attachment", "field_name": "entry", "term": "局"}),
        Row("view_on_site", "GET", "view", "entry_draft",
            lambda w, o: admin_url("view_on_site", w.shared["ct:entry"], _pk(o)), check="redirect"),
        # Applications: registering, the reply letter, a transition, the CSV export.
        Row("applications_application_register", "GET", "add", None,
            lambda w, o: admin_url("applications_application_register"), check="ok"),
        Row("applications_application_register", "POST", "add", None,
            lambda w, o: admin_url("applications_application_register"), check="form", data=lambda w, o: {}),
        Row("applications_application_reply_document", "GET", "view", "application",
            lambda w, o: admin_url("applications_application_reply_document", _pk(o)), check="download"),
        Row("applications_application_transition", "GET", "change", "application",
            lambda w, o: admin_url("applications_application_transition", _pk(o), "note"), check="page"),
        Row("applications_application_transition", "POST", "change", "application",
            lambda w, o: admin_url("applications_application_transition", _pk(o), "note"), check="effect",
            data=lambda w, o: {"version": o.version, "text": "电话沟通"},
            effect=lambda w, o: o.events.filter(kind="note").exists()),
        Row("applications_application_changelist", "POST", "view", "application",
            lambda w, o: admin_url("applications_application_changelist"), check="list", lists="application",
            data=lambda w, o: {"action": "export_csv", "_selected_action": _pk(o), "index": "0"}),
        # Documents served by scoped views.
        Row("litigation_case_document", "GET", "view", "case",
            lambda w, o: admin_url("litigation_case_document", _pk(o), o.documents.get().pk), check="download"),
        Row("proposals_proposal_reply_document", "GET", "view", "proposal_draft",
            lambda w, o: admin_url("proposals_proposal_reply_document", _pk(o)), check="download"),
        # The annual report: compile, preview, a drill-down cell, the publish page.
        Row("reports_annualreport_compile", "POST", "change", "report",
            lambda w, o: admin_url("reports_annualreport_compile", _pk(o)), check="effect", data=lambda w, o: {},
            effect=lambda w, o: type(o).objects.get(pk=o.pk).compiled_at != o.compiled_at),
        Row("reports_annualreport_compile", "GET", "change", "report",
            lambda w, o: admin_url("reports_annualreport_compile", _pk(o)), check="form"),
        Row("reports_annualreport_preview", "GET", "view", "report",
            lambda w, o: admin_url("reports_annualreport_preview", _pk(o))),
        Row("reports_annualreport_cell", "GET", "view", "report",
            lambda w, o: admin_url("reports_annualreport_cell", _pk(o)) + "?table=channel&channel=website"),
        Row("reports_annualreport_publish", "GET", "view", "report_reviewed",
            lambda w, o: admin_url("reports_annualreport_publish", _pk(o))),
        Row("reports_annualreport_publish", "POST", "publish", "report_reviewed",
            lambda w, o: admin_url("reports_annualreport_publish", _pk(o)), check="effect", data=lambda w, o: {},
            effect=lambda w, o: o.versions.exists()),
        # The site's own pages.
        Row("index", "GET", "staff", None, lambda w, o: admin_url("index"), check="ok"),
        *(
            Row("app_list", "GET", need, None, lambda w, o, a=app: admin_url("app_list", a), check="ok")
            for app, need in (
                ("auth", "superuser"), ("accounts", "superuser"), ("organs", "view_any"), ("catalog", "view_any"),
                ("workdays", "view_any"), ("applications", "view_any"), ("proactive", "view_any"),
                ("litigation", "view_any"), ("proposals", "view_any"), ("reports", "view_any"),
            )
        ),
        Row("jsi18n", "GET", "staff", None, lambda w, o: admin_url("jsi18n"), check="ok"),
        Row("password_change", "GET", "staff", None, lambda w, o: admin_url("password_change"), check="ok"),
        Row("password_change_done", "GET", "staff", None, lambda w, o: admin_url("password_change_done"), check="ok"),
        Row("auth_user_password_change", "GET", "superuser", "shared:user",
            lambda w, o: admin_url("auth_user_password_change", _pk(o)), check="ok"),
        Row("login", "GET", "any", None, lambda w, o: admin_url("login"), check="any"),
    ]  # fmt: skip


# Downloads before deletions (a deleted case or proposal takes its file with it, whatever the
# rollback), and logging out last: it ends the person's session.
ROWS = [
    *_custom_rows(),
    *_review_rows(),
    *_standard_rows(),
    Row("logout", "POST", "any", None, lambda w, o: admin_url("logout"), check="any", data=lambda w, o: {}),
]


def cells(world: World):
    """(row, organ key or None, record) for every row: one per organ for a record of each organ."""
    for row in ROWS:
        if row.record is None:
            yield row, None, None
        elif row.record.startswith("shared:"):
            yield row, None, world.shared[row.record.split(":", 1)[1]][0]
        else:
            for organ in ("a", "b"):
                yield row, organ, world.record(row.record, organ)


# -- what happened ----------------------------------------------------------------------------------


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)  # names as they are, not \\u escapes
    return response.content.decode("utf-8", "replace")


def _refused(response) -> bool:
    location = response.get("Location", "")
    return response.status_code in (400, 403, 404, 405) or (
        response.status_code == 302 and (location.startswith(LOGIN) or location == INDEX)
    )


def _shown(record) -> str:
    return html.escape(str(record))


def outcome(row: Row, world: World, organ, record, response) -> tuple[bool, list[str]]:
    """(whether the request did what it asks, the markers of records it showed)."""
    body = "" if row.check == "download" else _body(response)
    shown = [
        f"{kind}:{key}"
        for kind in {row.lists, row.record if row.record and ":" not in row.record else None} - {None}
        for key in ("a", "b")
        if html.escape(world.marker(kind, key)) in body
    ]
    status = response.status_code
    if row.check == "any":
        return status in (200, 302), shown
    if row.check == "ok":
        return status == 200 or (status == 302 and not _refused(response)), shown
    if row.check == "page":
        return status == 200 and _shown(record) in body, shown
    if row.check == "list":
        return status == 200 and (
            organ is None or f"{row.lists}:{organ}" in shown or row.lists is None
        ), shown
    if row.check == "form":
        return not _refused(response) and status in (200, 302), shown
    if row.check == "confirm":  # the bulk-delete confirmation (or the list of what protects it)
        confirming = any(t.name.endswith("delete_selected_confirmation.html") for t in response.templates)
        named = _shown(record) in body or bool(response.context and response.context.get("protected"))
        return status == 200 and confirming and named, shown
    if row.check == "redirect":
        location = response.get("Location", "")
        return status == 302 and not location.startswith("/admin/"), shown
    if row.check == "download":
        content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else b""
        return status == 200 and content == PDF, shown
    if row.check == "effect":
        return bool(row.effect(world, record)), shown
    raise AssertionError(row.check)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    from django.contrib.contenttypes.models import ContentType

    from apps.catalog.models import CatalogEntry

    world.shared["ct:entry"] = ContentType.objects.get_for_model(CatalogEntry).pk
    return world


def run_row_of(persona: str, world: World, client) -> tuple[list[str], int]:
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    problems: list[str] = []
    count = 0
    for row, organ, record in cells(world):
        count += 1
        expected = allowed(persona, row.need, organ)
        where = f"{row.method} {row.url_name} [{row.record or '-'}{':' + organ if organ else ''}]"
        path = row.path(world, record)
        data = row.data(world, record) if row.data else None
        with transaction.atomic():
            try:
                if row.method == "GET":
                    response = client.get(path, data or {})
                else:
                    response = client.post(path, data or {})
                done, shown = outcome(row, world, organ, record, response)
            except Exception as exc:  # a 500 is a finding, not the end of the row
                problems.append(f"{where}: {type(exc).__name__}: {exc}")
                transaction.set_rollback(True)
                continue
            transaction.set_rollback(True)
        if done != expected:
            problems.append(
                f"{where}: expected {'allowed' if expected else 'refused'}, got {response.status_code}"
            )
        leaked = [m for m in shown if not sees(persona, m.rsplit(":", 1)[1])]
        if leaked:
            problems.append(f"{where}: shows {', '.join(leaked)}")
    return problems, count


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_each_person_may_do_at_every_admin_url(persona, world, client):
    problems, count = run_row_of(persona, world, client)
    print(f"\n{persona}: {count} cells")
    assert not problems, "\n".join(problems)


def test_every_admin_url_and_action_is_in_the_matrix():
    covered = {row.url_name for row in ROWS}
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(admin.site.get_urls())
    assert names - covered == set()
    actions = {(row.url_name, row.data(None, type("R", (), {"pk": 0})())["action"]) for row in ROWS
               if row.url_name.endswith("_changelist") and row.method == "POST"}  # fmt: skip
    for model, model_admin in admin.site._registry.items():
        changelist = f"{model._meta.app_label}_{model._meta.model_name}_changelist"
        for action in model_admin._get_base_actions():
            assert (changelist, action.name) in actions, f"{changelist}: action {action.name} has no row"


def test_the_matrix_size():
    size = sum(2 if row.record and ":" not in row.record else 1 for row in ROWS)
    print(f"\nmatrix: {len(PERSONAS)} people × {size} URL×method×record cells = {len(PERSONAS) * size}")
    assert size >= 250
    assert get_user_model()  # the people are real users (tests/matrix_world.py)
