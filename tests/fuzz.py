"""The machinery of the fuzz tests (tests/test_fuzz.py): routes read from the resolver, a small
world of records to land on, strategies for hostile input, and one request sent in a savepoint."""

from __future__ import annotations

import collections
import copy
import datetime as dt
import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, quote_from_bytes, urlencode, urlsplit

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from hypothesis import strategies as st

from apps.applications import services as application_services
from apps.applications.enums import Outcome
from apps.applications.views import SESSION_ACCESS
from apps.applications.workflow import BACK_OFFICE
from apps.catalog import services as catalog_services
from apps.litigation.models import CaseDocument
from apps.proposals import services as proposal_services
from apps.proposals.enums import PublishMode, ResultCode
from apps.reports import services as report_services
from tests.factories import (
    CatalogEntryFactory,
    MembershipFactory,
    OrganFactory,
    OrganPageFactory,
    UserFactory,
)
from tests.factories.applications import ApplicationFactory
from tests.factories.records import CaseFactory, ProposalFactory, PublicationFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

# An applicant is an anonymous visitor whose session holds the tracking codes of their applications.
PERSONAS = ("anonymous", "applicant", "clerk", "superuser")
METHODS = ("GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS")
CHARSETS = ("utf-8", "gbk", "gb18030", "latin-1", "utf-16", "utf-7", "x-no-such-charset", "")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Parameter names every page may meet; each pattern adds those its own page uses (harvested).
COMMON_KEYS = (
    "q", "page", "p", "o", "e", "organ", "year", "sort", "kind", "part", "next", "language", "_popup",
    "_to_field", "_changelist_filters", "all", "action", "_selected_action", "select_across", "index",
)  # fmt: skip

NASTY = (
    "", " ", "0", "-1", "1.5", "1e309", "NaN", "inf", "99999999999999999999", "-9223372036854775809",
    "2147483648", "9999-12-31", "0001-01-01", "0000-00-00", "2024-02-30", "9999", "10000", "-2024",
    "\x00", "a\x00b", "%00", "%", "%zz", "\ufffd", "😀" * 50, "丁" * 300, "x" * 20_000,
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "on", "true", "null", "[]", "{}",
    "__proto__", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "\r\nSet-Cookie: a=b",
)  # fmt: skip

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)


# -- Routes from the resolver ----------------------------------------------------------------------

ROUTE_PARAM = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A leaf URL pattern as the sequence of its parts: literal text, (kind, name) or ("regex", r)."""

    parts: tuple
    name: str = field(compare=False)

    @property
    def label(self) -> str:
        return "".join(p if isinstance(p, str) else f"<{p[1]}>" for p in self.parts) or "/"

    @property
    def model(self):
        """The model of an admin URL (admin/<app_label>/<model_name>/...), else None."""
        if match := re.match(r"admin/(\w+)/(\w+)/", self.label):
            try:
                return apps.get_model(match[1], match[2])
            except LookupError:
                return None
        return None


def _parts(pattern) -> tuple:
    if isinstance(pattern, RoutePattern):
        route, parts, last = pattern._route, [], 0
        for match in ROUTE_PARAM.finditer(route):
            parts += [route[last : match.start()], (match["kind"] or "str", match["name"])]
            last = match.end()
        parts.append(route[last:])
        return tuple(p for p in parts if p != "")
    assert isinstance(pattern, RegexPattern)
    return (("regex", pattern._regex),) if pattern._regex not in ("^", "") else ()


def walk(patterns=None, prefix: tuple = ()) -> list[Route]:
    """Every leaf pattern of the URLconf, admin included."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        parts = prefix + _parts(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += walk(pattern.url_patterns, parts)
        elif isinstance(pattern, URLPattern):
            routes.append(Route(parts=parts, name=pattern.name or ""))
    return routes


# -- The world the requests land in ----------------------------------------------------------------


def _clerk(organ):
    user = UserFactory(username="alice", is_staff=True)
    MembershipFactory(user=user, organ=organ)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "organs", "catalog", "applications", "proactive", "litigation", "proposals", "reports",
                "workdays",
            ]
        ).exclude(codename__in=["add_organ", "delete_organ", "change_membership", "add_membership"])
    )  # fmt: skip
    return user


def _session(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def _login_session(user) -> str:
    return _session(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )


def build_world() -> World:
    """A few records of each kind, with stored files, through the services; personas' sessions."""
    organ = OrganFactory(name="牡丹江市经济合作促进局", short_name="市经合局", slug="jhj")
    OrganFactory(name="牡丹江市统计局", short_name="市统计局", slug="tjj")
    OrganPageFactory(organ=organ)
    alice, root = _clerk(organ), UserFactory(username="root", is_staff=True, is_superuser=True)
    entry = CatalogEntryFactory(organ=organ, title="关于招商引资优惠政策的通知")
    CatalogEntryFactory(organ=organ, publish=False)
    attachment = catalog_services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("办法.pdf", PDF)
    )
    received = ApplicationFactory(organ=organ, actor=alice)
    closed = application_services.application_reply(
        application=ApplicationFactory(organ=organ, actor=alice),
        actor=alice,
        outcome=Outcome.DISCLOSED,
        reply_date=dt.date(2024, 3, 8),
        document=ContentFile(PDF, name="答复书.pdf"),
    )
    proposal = ProposalFactory(organ=organ)
    proposal_services.proposal_reply(
        proposal=proposal,
        reply_date=dt.date(2024, 5, 20),
        result_code=ResultCode.A,
        reply_document=ContentFile(PDF, name="答复.pdf"),
    )
    proposal_services.proposal_publish(
        proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1)
    )
    case = CaseFactory(organ=organ)
    document = CaseDocument.objects.create(
        case=case, title="行政复议决定书", file=ContentFile(PDF, name="决定.pdf")
    )
    PublicationFactory(organ=organ)
    YearTallyFactory(organ=organ, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ, year=2024))
    version = report_services.report_publish(report=report)

    ints = [str(pk) for pk in (proposal.pk, closed.pk, case.pk, document.pk, report.pk, 0)]
    codes = [received.tracking_code, closed.tracking_code]
    known = {
        "slug": [organ.slug, "tjj"],
        "organ_slug": [organ.slug, "tjj"],
        "section": ["organs", "pages", "reports"],
        "page": ["1", "0"],
        "year": [str(report.year), "9999", "0"],
        "number": [str(version.number), "0"],
        "token": [attachment.token],
        "code": [*codes, "ABCD2345"],
        "index_number": [entry.index_number],
        "action": list(BACK_OFFICE),
        "content_type_id": [str(ContentType.objects.get_for_model(type(entry)).pk)],
        "object_id": [str(entry.pk)],
        **{name: ints for name in ("pk", "proposal_id", "case_id", "document_id", "id")},
    }
    pks = {
        model: [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:3]]
        for model in apps.get_models()
    }
    sessions = {
        "applicant": _session({SESSION_ACCESS: codes}),
        "clerk": _login_session(alice),
        "superuser": _login_session(root),
    }
    return World(known=known, pks=pks, sessions=sessions)


@dataclass
class World:
    known: dict[str, list[str]]
    pks: dict[type, list[str]]
    sessions: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            from django.conf import settings

            client = Client(raise_request_exception=False, HTTP_USER_AGENT="fuzz")
            if persona in self.sessions:
                client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
            self.clients[persona] = client
        return self.clients[persona]

    def segment_values(self, route: Route, name: str) -> list[str]:
        """Real values for a path parameter: the admin's own model's primary keys first."""
        model_pks = self.pks.get(route.model, []) if route.model else []
        if name in {"object_id", "pk"} and model_pks:
            return model_pks + self.known.get(name, [])
        return self.known.get(name, [])


# -- What a page uses: its form fields and the keys of its links -----------------------------------


class PageInputs(HTMLParser):
    """The fields of the page's POST forms with their current values, and every parameter name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.names: set[str] = set()
        self._in_post_form = False
        self._textarea: list[str] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        name = attrs.get("name", "")
        if tag == "form":
            self._in_post_form = attrs.get("method", "").lower() == "post"
        elif tag == "a" and "?" in attrs.get("href", ""):
            self.names.update(k for k, _v in parse_qsl(urlsplit(attrs["href"]).query, keep_blank_values=True))
        elif tag == "input" and name:
            self.names.add(name)
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "image", "file", "reset"} and self._in_post_form:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.names.add(name)
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self.names.add(name)
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "textarea" and self._textarea is not None:
            if self._in_post_form:
                self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [v for v, _s in self._options[:1]]
            if self._in_post_form:
                self.fields += [(self._select, v) for v in chosen]
            self._select = None


def canonical_path(route: Route, world: World) -> str:
    """The route filled with real values ("" for the admin's regex routes)."""
    out = []
    for part in route.parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] == "regex":
            return ""
        else:
            out.append((world.segment_values(route, part[1]) or ["1"])[0])
    return "/" + "".join(out)


def page_inputs(path: str, world: World, persona: str = "superuser") -> PageInputs:
    parser = PageInputs()
    if not path:
        return parser
    with transaction.atomic():
        response = world.client(persona).get(path)
        transaction.set_rollback(True)
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        parser.feed(response.content.decode(errors="replace"))
    return parser


# -- Requests --------------------------------------------------------------------------------------


def segment(kind: str, known: list[str]) -> st.SearchStrategy[str]:
    """A decoded path segment for a converter; real values first so that deep pages are reached."""
    junk = {
        "int": st.one_of(st.integers(min_value=0, max_value=10**25).map(str), st.sampled_from(["0", "9999"])),
        "slug": st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
        "str": st.one_of(st.text(min_size=1, max_size=60), st.sampled_from(NASTY)),
        "path": st.one_of(st.text(min_size=1, max_size=60), st.sampled_from(NASTY)),
    }[kind]
    if kind in {"str", "slug"}:
        junk = junk.map(lambda s: s.replace("/", "_") or "_")
    elif kind == "path":
        junk = junk.map(lambda s: s or "_")
    return st.one_of(st.sampled_from(known), junk) if known else junk


def paths(route: Route, world: World) -> st.SearchStrategy[str]:
    pieces = []
    for part in route.parts:
        if isinstance(part, str):
            pieces.append(st.just(quote(part, safe="/")))
        elif part[0] == "regex":
            pieces.append(
                st.from_regex(part[1], fullmatch=True).map(lambda s: quote(s.lstrip("^"), safe="/"))
            )
        else:
            kind, name = part
            safe = "/" if kind == "path" else ""
            known = world.segment_values(route, name)
            pieces.append(segment(kind, known).map(lambda s, safe=safe: quote(s, safe=safe)))
    return st.tuples(*pieces).map(lambda ps: "/" + "".join(ps))


def requests(route: Route, world: World, keys: list[str]) -> st.SearchStrategy[dict]:
    """Any method, any query string, any body, any charset, as any persona."""
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(keys), st.text(max_size=20)), values), max_size=6)
    return st.fixed_dictionaries(
        {
            "persona": st.sampled_from(PERSONAS),
            "method": st.sampled_from(METHODS),
            "path": paths(route, world),
            "query": st.one_of(pairs.map(urlencode), st.binary(max_size=60).map(quote_from_bytes)),
            "body": st.one_of(
                st.tuples(st.just("form"), pairs, st.sampled_from(CHARSETS)),
                st.tuples(st.just("multipart"), pairs, st.just("")),
                st.tuples(st.just("raw"), st.binary(max_size=300), st.sampled_from(CHARSETS)),
            ),
            "language": st.sampled_from(["", "en", "zh-CN,zh;q=0.9", "xx-YY;q=abc,*", "en;q=" + "9" * 500]),
        }
    )


def form_edits(
    path: str, fields: list[tuple[str, str]], personas: tuple[str, ...]
) -> st.SearchStrategy[dict]:
    """The page's own form posted back with one to three of its fields replaced by hostile values."""
    edits = st.lists(st.tuples(st.integers(0, len(fields) - 1), values), min_size=1, max_size=3)

    def apply(changes):
        posted = list(fields)
        for index, value in changes:
            posted[index] = (posted[index][0], value)
        return posted

    return st.fixed_dictionaries(
        {
            "persona": st.sampled_from(personas),
            "method": st.just("POST"),
            "path": st.just(path),
            "query": st.just(""),
            "body": st.tuples(st.sampled_from(["form", "multipart"]), edits.map(apply), st.just("utf-8")),
            "language": st.just(""),
        }
    )


def send(world: World, request: dict):
    """One request in a savepoint, so that what it wrote (or a failed query) does not reach the next."""
    client = world.client(request["persona"])
    url = request["path"] + ("?" + request["query"] if request["query"] else "")
    extra = {"HTTP_ACCEPT_LANGUAGE": request["language"]} if request["language"] else {}
    kind, payload, charset = request["body"]
    data, content_type = b"", "application/octet-stream"
    if request["method"] in {"POST", "PUT", "DELETE"}:
        content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
        if kind == "form":
            data = urlencode(payload).encode()
        elif kind == "multipart":
            fields = collections.defaultdict(list)
            for key, value in payload:
                fields[key].append(value)
            fields["upload"] = SimpleUploadedFile("a.pdf", PDF + b"\x00\xff", content_type="application/pdf")
            data, content_type = encode_multipart(BOUNDARY, dict(fields)), MULTIPART_CONTENT
        else:
            data = payload
    cookies = copy.deepcopy(client.cookies)  # a logout or a new session must not change the persona
    try:
        with transaction.atomic():
            response = client.generic(request["method"], url, data, content_type=content_type, **extra)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return url, response


def explain(url: str, request: dict, response) -> str:
    cause = ""
    if getattr(response, "exc_info", None):
        cause = "".join(traceback.format_exception(*response.exc_info)[-6:])
    return f"{request['method']} {url[:300]!r} as {request['persona']} → {response.status_code}\n{cause}"
