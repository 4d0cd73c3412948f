"""0003: an empty figure saved before the three states was entered meaning "not applicable"."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("proactive", "0002_publication_approximation_detail")]
AFTER = [("proactive", "0003_tally_three_states_and_2019_figures")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_an_empty_figure_becomes_not_applicable_and_numbers_stay():
    old = _migrate(BEFORE)
    organ_model = old.get_model("organs", "Organ")
    organ = organ_model.objects.create(name="牡丹江市统计局", slug="tjj", code="11231000MB0000099X")
    old.get_model("proactive", "YearTally").objects.create(
        organ_id=organ.pk, year=2024, licensing=0, punishment=None, enforcement=3, fees_wan_yuan=None
    )
    try:
        new = _migrate(AFTER)
        tally = new.get_model("proactive", "YearTally").objects.get()
        assert (tally.licensing, tally.licensing_not_applicable) == (0, False)
        assert (tally.punishment, tally.punishment_not_applicable) == (None, True)
        assert (tally.enforcement, tally.enforcement_not_applicable) == (3, False)
        assert (tally.fees_wan_yuan, tally.fees_not_applicable) == (None, True)
        # Figures that did not exist yet are not entered, not "not applicable".
        assert (tally.other_services_not_applicable, tally.procurement_not_applicable) == (False, False)
        assert tally.licensing_items_last_year is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
