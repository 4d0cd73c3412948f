"""seed_demo: deterministic, idempotent demo data with the seed organ's 指南, 制度 and 2018 items."""

import io
import re
import types

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

from apps.catalog.enums import Status
from apps.catalog.models import Attachment, CatalogEntry, IndexSequence
from apps.devtools.management.commands import seed_demo
from apps.organs.models import Membership, Organ, OrganPage

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "organs",
    "catalog",
    "applications",
    "proactive",
    "litigation",
    "proposals",
    "reports",
    "auth",
}


@pytest.fixture(autouse=True)
def _fast(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The other apps' builders are tested by their owners; here only organs, catalog, logins.
    monkeypatch.setattr(seed_demo, "APP_DEMOS", ())


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--per-organ", "6", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _state() -> dict:
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        # The review history is append-only: a re-seed adds the rebuilt entries' steps to it.
        if model._meta.app_label in PROJECT_APPS and model._meta.label != "organs.RecordEvent"
    }
    entries = list(
        CatalogEntry.objects.order_by("index_number").values_list(
            "index_number", "title", "body", "status", "publish_date", "published_at", "validity"
        )
    )
    return {"counts": counts, "entries": entries}


def test_seed_demo_twice_gives_the_same_database():
    _seed()
    first = _state()
    _seed()

    assert _state() == first
    assert first["counts"]["organs.Organ"] == 6
    assert first["counts"]["organs.OrganPage"] == 12
    assert first["counts"]["catalog.CatalogEntry"] == 6 * 6 + 8
    assert first["counts"]["catalog.Attachment"] == 6 * 3
    assert first["counts"]["organs.Membership"] == 6


def test_another_seed_gives_other_entries():
    _seed()
    first = _state()["entries"]
    _seed("--seed", "7")
    assert _state()["entries"] != first


def test_the_seed_organ_has_its_guide_with_the_required_parts():
    _seed()
    jhj = Organ.objects.get(slug="jhj")
    guide = OrganPage.objects.get(organ=jhj, kind=OrganPage.Kind.GUIDE)

    assert jhj.name == "牡丹江市经济合作促进局"
    assert jhj.parent.name == "牡丹江市人民政府" and jhj.parent.kind == Organ.Kind.GOVERNMENT
    for part in ("一、主动公开", "二、依申请公开", "三、监督和救济", "20个工作日", "国办函〔2020〕109号"):
        assert part in guide.body
    for channel in ("当面提交", "邮寄申请", "传真申请", "在线申请", "电子邮件申请"):
        assert channel in guide.body
    for contact in (jhj.office_name, jhj.office_address, jhj.phone, jhj.fax, jhj.email, jhj.office_hours):
        assert contact and contact in guide.body
    assert jhj.phone.startswith("0453-") and jhj.postal_code == "157000"
    assert jhj.email.endswith(".example")  # never a real office's mailbox


def test_the_seed_organ_lists_the_rules_of_its_2018_report():
    _seed()
    rules = OrganPage.objects.get(organ__slug="jhj", kind=OrganPage.Kind.RULES).body
    for name in ("政务公开责任追究制度", "政务公开社会评议制度", "办事公开制度", "公开政府信息登记统计制度"):
        assert f"《{name}》" in rules
    assert rules.count("《政府信息公开保密审查制度》") == 1


def test_the_seed_organ_2018_holds_exactly_the_eight_website_items():
    _seed()
    items = CatalogEntry.objects.filter(organ__slug="jhj", index_year=2018)

    assert items.count() == 8
    assert items.filter(status=Status.PUBLISHED).count() == 8
    titles = " ".join(items.values_list("title", flat=True))
    for topic in ("职能", "机构", "领导班子成员", "招商"):
        assert topic in titles
    notice = items.get(doc_number="牡经合发〔2018〕3号")
    assert notice.title == "牡丹江市经济合作促进局关于印发《2018年政务公开工作要点》的通知"
    assert list(items.order_by("index_serial").values_list("index_serial", flat=True)) == list(range(1, 9))


def test_demo_catalog_has_drafts_a_withdrawn_entry_attachments_and_sequences():
    _seed()
    assert CatalogEntry.objects.filter(status=Status.DRAFT).exists()
    withdrawn = CatalogEntry.objects.get(status=Status.WITHDRAWN)
    assert withdrawn.organ.slug == "zrzyj" and withdrawn.withdrawn_reason
    kinds = set(Attachment.objects.values_list("content_type", flat=True))
    assert kinds <= {"application/pdf", "image/png"} and kinds
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            assert handle.read(4) in (b"%PDF", b"\x89PNG")
    # Every organ-year sequence stands at its last serial, so clerks' entries continue after.
    for sequence in IndexSequence.objects.all():
        top = CatalogEntry.objects.filter(organ=sequence.organ, index_year=sequence.year).order_by(
            "-index_serial"
        )
        assert top.first().index_serial == sequence.last_serial


def test_printed_logins_work_and_clerks_belong_to_their_organ():
    output = _seed()
    passwords = dict(re.findall(r"^\s+(\S+_clerk|admin)\s+(\S+)\s", output, flags=re.MULTILINE))
    User = get_user_model()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(passwords["admin"])
    clerk = User.objects.get(username="jhj_clerk")
    assert clerk.check_password(passwords["jhj_clerk"]) and clerk.is_staff and not clerk.is_superuser
    assert Membership.objects.get(user=clerk).organ.slug == "jhj"
    assert clerk.has_perm("catalog.add_catalogentry") and not clerk.has_perm("organs.add_organ")

    again = dict(re.findall(r"^\s+(\S+_clerk|admin)\s+(\S+)\s", _seed(), flags=re.MULTILINE))
    assert again["admin"] != passwords["admin"]  # reset on every run
    admin.refresh_from_db()
    assert admin.check_password(again["admin"]) and not admin.check_password(passwords["admin"])


def test_seed_demo_refuses_a_database_with_other_organs(organ_b):
    with pytest.raises(CommandError, match="not demo organs"):
        _seed()
    assert not Organ.objects.filter(slug="jhj").exists()


def test_an_app_builder_failure_rolls_back_only_that_app(monkeypatch):
    broken = types.ModuleType("tests_broken_demo")

    def build(*, organs, rng, stdout):
        Organ.objects.filter(slug="jhj").update(short_name="坏")
        raise RuntimeError("boom")

    broken.build = build
    monkeypatch.setattr(seed_demo, "APP_DEMOS", (broken,))

    with pytest.raises(CommandError, match="tests_broken_demo: RuntimeError: boom"):
        _seed()
    assert Organ.objects.get(slug="jhj").short_name == "市经合局"
    assert get_user_model().objects.filter(username="jhj_clerk").exists()
