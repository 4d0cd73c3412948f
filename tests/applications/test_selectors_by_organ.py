"""outcome_counts_by_organ: table 3 of every organ and year in one query, for the open-data API."""

import datetime as dt

import pytest

from apps.applications.enums import ApplicantType, Outcome
from apps.applications.selectors import first_received_year, outcome_counts, outcome_counts_by_organ
from tests.factories.reports import application

pytestmark = pytest.mark.django_db

D = dt.date


def _records(organ_a, organ_b):
    application(organ=organ_a, received_on=D(2022, 12, 20), closed_on=D(2023, 1, 10))  # carried into 2023
    application(organ=organ_a, received_on=D(2023, 3, 1), closed_on=D(2023, 3, 20), outcome=Outcome.NOT_HELD)
    application(
        organ=organ_a,
        received_on=D(2023, 12, 28),
        closed_on=D(2024, 1, 8),
        applicant_type=ApplicantType.COMMERCIAL,
    )
    application(organ=organ_b, received_on=D(2024, 5, 2), closed_on=D(2024, 5, 9), outcome=Outcome.REPEATED)
    application(organ=organ_b, received_on=D(2024, 11, 2))  # still open


def test_each_organs_table_equals_outcome_counts_of_that_organ(organ_a, organ_b, django_assert_num_queries):
    _records(organ_a, organ_b)
    years = [2022, 2023, 2024]

    with django_assert_num_queries(1):
        tables = outcome_counts_by_organ(organ_ids=[organ_a.pk, organ_b.pk], years=years)

    for year in years:
        for organ in (organ_a, organ_b):
            assert tables[year][organ.pk] == outcome_counts(organ_ids=[organ.pk], year=year), (year, organ)
    assert tables[2023][organ_a.pk]["carried_in"]["total"] == 1
    assert tables[2023][organ_a.pk]["r4_1"]["natural"] == 1
    assert tables[2023][organ_a.pk]["carried_out"]["commercial"] == 1
    assert tables[2024][organ_b.pk]["r5_2"]["total"] == 1
    assert tables[2024][organ_b.pk]["carried_out"]["total"] == 1


def test_an_organ_or_year_without_applications_has_a_table_of_zeros(organ_a, organ_b):
    application(organ=organ_a, received_on=D(2024, 3, 1))
    tables = outcome_counts_by_organ(organ_ids=[organ_a.pk, organ_b.pk], years=[2020])
    assert tables[2020][organ_b.pk]["new"]["total"] == 0
    assert all(n == 0 for row in tables[2020][organ_a.pk].values() for n in row.values())
    assert outcome_counts_by_organ(organ_ids=[], years=[2020]) == {}


def test_first_received_year(organ_a, organ_b):
    assert first_received_year(organ_ids=[organ_a.pk]) is None
    application(organ=organ_a, received_on=D(2021, 7, 1))
    application(organ=organ_b, received_on=D(2019, 7, 1))
    assert first_received_year(organ_ids=[organ_a.pk]) == 2021
    assert first_received_year(organ_ids=[organ_a.pk, organ_b.pk]) == 2019
