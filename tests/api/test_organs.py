"""Organs in the API: the active ones, with the contacts of their 指南."""

import pytest

from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


def test_list_gives_active_organs_with_their_contacts(client, organ_a):
    OrganFactory(name="已撤销的局", slug="old", code="11231000MB0000009X", is_active=False)
    dept = OrganFactory(
        name="某部门", slug="bm", code="11231000MB0000003X", parent=organ_a, phone="0453-1234567"
    )

    body = client.get("/api/organs/").json()

    assert sorted(o["slug"] for o in body) == ["bm", "jhj"]
    item = next(o for o in body if o["slug"] == "bm")
    assert item["parent"] == "jhj" and item["phone"] == "0453-1234567"
    assert item["url"] == f"http://testserver{dept.get_absolute_url()}"
    assert next(o for o in body if o["slug"] == "jhj")["parent"] is None


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    parent = OrganFactory(name="市政府", slug="gov", code="11231000MB0000000X")
    for i in range(count):
        OrganFactory(name=f"机关{i}", slug=f"o{i}", code=f"11231000MB000001{i}X", parent=parent)
    with django_assert_num_queries(1):
        body = client.get("/api/organs/").json()
    assert len(body) == count + 1


def test_detail_and_404_for_an_inactive_organ(client, organ_a):
    OrganFactory(name="已撤销的局", slug="old", code="11231000MB0000009X", is_active=False)
    assert client.get("/api/organs/jhj/").json()["code"] == "11231000MB0000001X"
    assert client.get("/api/organs/old/").status_code == 404
