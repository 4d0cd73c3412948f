"""政策解读: an entry linked to the entries that interpret it, both ways, on both detail pages.

Alice (organ A) links her 解读 to her documents; Bob's (organ B) entries may be linked once published.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from apps.catalog import services
from apps.catalog.enums import DocumentKind, InterpretationKind
from apps.catalog.models import Interpretation
from apps.catalog.selectors.interpretations import interpretation_links, normative_without_interpretation
from tests.admin_forms import change_form_data
from tests.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db

WARNINGS = reverse("admin:catalog_normativewithoutinterpretation_changelist")


def change_url(entry):
    return reverse("admin:catalog_catalogentry_change", args=[entry.pk])


@pytest.fixture
def policy(organ_a):
    return CatalogEntryFactory(
        organ=organ_a,
        title="牡丹江市招商引资优惠政策",
        doc_number="牡经合规〔2024〕1号",
        document_kind=DocumentKind.NORMATIVE,
    )


@pytest.fixture
def reading(organ_a):
    return CatalogEntryFactory(organ=organ_a, title="《牡丹江市招商引资优惠政策》政策解读")


# -- services -------------------------------------------------------------------------------


def test_link_joins_a_policy_and_its_interpretation_both_ways(organ_a, policy, reading):
    link = services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_a
    )
    assert list(policy.interpretation_links.all()) == [link]
    assert list(reading.policy_links.all()) == [link]


def test_an_entry_cannot_interpret_itself(organ_a, policy):
    with pytest.raises(ValidationError, match="不能解读它自己"):
        services.interpretation_link(
            policy=policy, interpretation=policy, kind=InterpretationKind.TEXT, organ=organ_a
        )


def test_the_same_pair_is_linked_once(organ_a, policy, reading):
    services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_a
    )
    with pytest.raises(ValidationError, match="已经关联"):
        services.interpretation_link(
            policy=policy, interpretation=reading, kind=InterpretationKind.QA, organ=organ_a
        )
    assert Interpretation.objects.count() == 1


def test_another_organs_published_entry_may_be_linked(organ_a, organ_b, policy):
    chart = CatalogEntryFactory(organ=organ_b, title="一图读懂招商引资优惠政策")
    link = services.interpretation_link(
        policy=policy, interpretation=chart, kind=InterpretationKind.GRAPHIC, organ=organ_a
    )
    assert link.interpretation == chart


def test_another_organs_draft_is_refused_as_if_unknown(organ_a, organ_b, policy):
    draft = CatalogEntryFactory(organ=organ_b, title="乙局的解读草稿", publish=False)
    with pytest.raises(ValidationError, match="没有找到这个索引号"):
        services.interpretation_link(
            policy=policy, interpretation=draft, kind=InterpretationKind.TEXT, organ=organ_a
        )


def test_an_organ_links_only_when_one_end_is_its_own(organ_a, organ_b, policy, reading):
    with pytest.raises(ValidationError, match="只能为本机关的条目"):
        services.interpretation_link(
            policy=policy, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_b
        )


# -- public detail pages ------------------------------------------------------------------------


def test_both_detail_pages_show_the_link(client, organ_a, policy, reading):
    services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_a
    )
    page = client.get(policy.get_absolute_url()).content.decode()
    assert 'id="interpretations-title">政策解读</h2>' in page
    assert f'<span class="related-kind">文字解读</span> <a href="{reading.get_absolute_url()}">' in page
    assert "《牡丹江市招商引资优惠政策》政策解读</a>" in page

    page = client.get(reading.get_absolute_url()).content.decode()
    assert 'id="policies-title">解读对象</h2>' in page
    assert f'<a href="{policy.get_absolute_url()}">牡丹江市招商引资优惠政策</a>' in page
    assert "（牡经合规〔2024〕1号）" in page
    assert "政策解读</h2>" not in page


def test_a_link_to_an_unpublished_entry_is_not_shown(client, organ_a, policy, reading):
    services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.QA, organ=organ_a
    )
    services.entry_withdraw(entry=reading, reason="内容需更新")
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "政策解读</h2>" not in page
    assert "政策解读</a>" not in page
    assert interpretation_links(policy).interpretations == []


@pytest.mark.parametrize("n", [1, 3])
def test_links_of_an_entry_are_read_in_one_query(django_assert_num_queries, organ_a, policy, n):
    for i in range(n):
        services.interpretation_link(
            policy=policy,
            interpretation=CatalogEntryFactory(organ=organ_a, title=f"问答第{i}期"),
            kind=InterpretationKind.QA,
            organ=organ_a,
        )
        services.interpretation_link(
            policy=CatalogEntryFactory(organ=organ_a, title=f"被解读的文件{i}"),
            interpretation=policy,
            kind=InterpretationKind.TEXT,
            organ=organ_a,
        )
    with django_assert_num_queries(1):
        links = interpretation_links(policy)
        titles = [link.interpretation.title for link in links.interpretations]
        titles += [link.policy.title for link in links.policies]
    assert sorted(titles) == sorted(
        [f"问答第{i}期" for i in range(n)] + [f"被解读的文件{i}" for i in range(n)]
    )


# -- back office: the inlines ----------------------------------------------------------------


def _add_row(data: dict, prefix: str, index_number: str, kind: str) -> dict:
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data = {
        **data,
        f"{prefix}-TOTAL_FORMS": str(total + 1),
        f"{prefix}-{total}-other_index_number": index_number,
        f"{prefix}-{total}-kind": kind,
        f"{prefix}-{total}-sort_order": "0",
    }
    return data


def test_clerk_links_a_reading_from_the_policys_page(client, alice, policy, reading):
    client.force_login(alice)
    data = change_form_data(client.get(change_url(policy)))
    data = _add_row(data, "interpretation_links", reading.index_number, InterpretationKind.TEXT)
    response = client.post(change_url(policy), data)
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    link = Interpretation.objects.get()
    assert (link.policy, link.interpretation, link.kind) == (policy, reading, InterpretationKind.TEXT)

    # The policy's page lists it; the reading's page shows the other direction.
    page = client.get(change_url(policy)).content.decode()
    assert reading.index_number in page and "《牡丹江市招商引资优惠政策》政策解读" in page
    page = client.get(change_url(reading)).content.decode()
    assert policy.index_number in page


def test_clerk_links_a_policy_from_the_readings_page(client, alice, policy, reading):
    client.force_login(alice)
    data = change_form_data(client.get(change_url(reading)))
    data = _add_row(data, "policy_links", policy.index_number, InterpretationKind.QA)
    assert client.post(change_url(reading), data).status_code == 302
    link = Interpretation.objects.get()
    assert (link.policy, link.interpretation, link.kind) == (policy, reading, InterpretationKind.QA)


def test_clerk_cannot_name_another_organs_draft(client, alice, organ_b, policy):
    draft = CatalogEntryFactory(organ=organ_b, title="乙局的解读草稿", publish=False)
    client.force_login(alice)
    data = change_form_data(client.get(change_url(policy)))
    data = _add_row(data, "interpretation_links", draft.index_number, InterpretationKind.TEXT)
    response = client.post(change_url(policy), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有找到这个索引号的本机关条目或已发布条目。" in page
    assert "乙局的解读草稿" not in page
    assert not Interpretation.objects.exists()


def test_clerk_removes_a_link_and_a_post_without_the_section_keeps_them(
    client, alice, organ_a, policy, reading
):
    services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_a
    )
    client.force_login(alice)
    data = change_form_data(client.get(change_url(policy)))
    # A client that knows nothing of 政策解读 saves the entry and leaves its links.
    bare = {k: v for k, v in data.items() if not k.startswith(("interpretation_links-", "policy_links-"))}
    bare["title"] = "牡丹江市招商引资优惠政策（修订）"
    assert client.post(change_url(policy), bare).status_code == 302
    assert Interpretation.objects.count() == 1

    data = change_form_data(client.get(change_url(policy)))
    data["interpretation_links-0-DELETE"] = "on"
    assert client.post(change_url(policy), data).status_code == 302
    assert not Interpretation.objects.exists()


def test_bob_does_not_see_alices_links_form(client, bob, policy):
    client.force_login(bob)
    assert client.get(change_url(policy)).status_code in (302, 404)


# -- back office: the warning list ---------------------------------------------------------------


def test_warning_list_names_normative_documents_without_a_published_reading(
    client, alice, organ_a, organ_b, policy, reading
):
    covered = CatalogEntryFactory(
        organ=organ_a, title="已配解读的规范性文件", document_kind=DocumentKind.NORMATIVE
    )
    services.interpretation_link(
        policy=covered, interpretation=reading, kind=InterpretationKind.TEXT, organ=organ_a
    )
    draft_only = CatalogEntryFactory(
        organ=organ_a, title="解读尚是草稿的规范性文件", document_kind=DocumentKind.NORMATIVE
    )
    services.interpretation_link(
        policy=draft_only,
        interpretation=CatalogEntryFactory(organ=organ_a, title="解读草稿", publish=False),
        kind=InterpretationKind.TEXT,
        organ=organ_a,
    )
    CatalogEntryFactory(
        organ=organ_a, title="未发布的规范性文件", document_kind=DocumentKind.NORMATIVE, publish=False
    )
    CatalogEntryFactory(organ=organ_a, title="一般通知")
    CatalogEntryFactory(organ=organ_b, title="乙局的规范性文件", document_kind=DocumentKind.NORMATIVE)

    client.force_login(alice)
    response = client.get(WARNINGS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "牡丹江市招商引资优惠政策" in page
    assert "解读尚是草稿的规范性文件" in page
    for absent in ("已配解读的规范性文件", "未发布的规范性文件", "一般通知", "乙局的规范性文件"):
        assert absent not in page
    assert change_url(policy) in page
    # A warning, not a block: nothing here adds, changes or deletes.
    assert "catalog/normativewithoutinterpretation/add/" not in page


def test_warning_list_selector_scopes_to_an_organ(organ_a, organ_b, policy):
    theirs = CatalogEntryFactory(organ=organ_b, document_kind=DocumentKind.NORMATIVE)
    assert list(normative_without_interpretation(organ=organ_a)) == [policy]
    assert set(normative_without_interpretation()) == {policy, theirs}


@pytest.mark.parametrize("n", [1, 3])
def test_warning_list_in_constant_queries(client, alice, organ_a, django_assert_num_queries, n):
    for i in range(n):
        CatalogEntryFactory(organ=organ_a, title=f"规范性文件{i}", document_kind=DocumentKind.NORMATIVE)
    client.force_login(alice)
    client.get(WARNINGS)  # warm the session and the content types
    with django_assert_num_queries(9):
        response = client.get(WARNINGS)
    assert response.content.decode().count("规范性文件") >= n
