import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from apps.proactive import services
from apps.proactive.enums import Channel, NormativeKind
from apps.proactive.models import Publication, Table2Override
from tests.factories import CatalogEntryFactory
from tests.factories.records import PublicationFactory

pytestmark = pytest.mark.django_db


def test_printed_material_requires_copies(organ_a):
    with pytest.raises(ValidationError) as exc:
        PublicationFactory(organ=organ_a, channel=Channel.PRINTED, title="招商指南", copies=None)
    assert "copies" in exc.value.message_dict
    assert not Publication.objects.exists()


def test_copies_are_refused_for_other_channels(organ_a):
    with pytest.raises(ValidationError) as exc:
        PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, copies=100)
    assert exc.value.message_dict["copies"] == ["只有印发资料填写印发册数。"]


def test_database_refuses_copies_on_a_website_item(organ_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            organ=organ_a, channel=Channel.WEBSITE, date=dt.date(2018, 1, 1), title="x", copies=5
        )


def test_database_refuses_zero_count(organ_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            organ=organ_a, channel=Channel.NEWSPAPER, date=dt.date(2018, 1, 1), title="x", count=0
        )


def test_it_refuses_a_catalog_entry_of_another_organ(organ_a, organ_b):
    entry = CatalogEntryFactory(organ=organ_b)
    with pytest.raises(ValidationError) as exc:
        PublicationFactory(organ=organ_a, catalog_entry=entry)
    assert exc.value.message_dict["catalog_entry"] == ["只能关联本机关的目录条目。"]


def test_it_links_a_catalog_entry_of_the_same_organ(organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="市经合局主要职能")
    publication = PublicationFactory(organ=organ_a, catalog_entry=entry, title=entry.title)
    assert list(entry.publications.all()) == [publication]


def test_table2_override_requires_a_reason(organ_a, alice):
    with pytest.raises(ValidationError) as exc:
        services.table2_override_set(
            organ=organ_a,
            year=2024,
            kind=NormativeKind.NORMATIVE,
            issued=1,
            repealed=0,
            in_force=3,
            reason="   ",
            set_by=alice,
        )
    assert "reason" in exc.value.message_dict
    assert not Table2Override.objects.exists()


def test_database_refuses_an_override_without_reason(organ_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Table2Override.objects.create(organ=organ_a, year=2024, kind=NormativeKind.RULE, reason="")
