import pytest

from apps.organs.models import Organ
from apps.organs.selectors import organ_tree
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


def _names(nodes):
    return [(node.organ.slug, _names(node.children)) for node in nodes]


def test_organ_tree_nests_departments_under_their_active_parent():
    city = OrganFactory(slug="city", sort_order=1, kind=Organ.Kind.GOVERNMENT)
    OrganFactory(slug="b", parent=city, sort_order=3)
    OrganFactory(slug="a", parent=city, sort_order=2)
    assert _names(organ_tree()) == [("city", [("a", []), ("b", [])])]


def test_organ_tree_lists_a_department_of_an_inactive_organ_at_the_top():
    old = OrganFactory(slug="old", is_active=False, sort_order=1)
    OrganFactory(slug="orphan", parent=old, sort_order=2)
    assert _names(organ_tree()) == [("orphan", [])]


def test_organ_tree_survives_a_parent_cycle():
    a = OrganFactory(slug="a", sort_order=1)
    b = OrganFactory(slug="b", parent=a, sort_order=2)
    Organ.objects.filter(pk=a.pk).update(parent=b)  # bad data the admin could produce in two steps
    # Neither hides the other: both are listed, at the top level.
    assert _names(organ_tree()) == [("a", []), ("b", [])]
