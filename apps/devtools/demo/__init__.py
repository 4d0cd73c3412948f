"""The deterministic 牡丹江市 demo that `manage.py seed_demo` builds.

Every builder has ``build(*, organs, rng, stdout)`` and may have ``wipe(*, organs, stdout)``;
``organs`` maps the keys of demo.organs.ORGAN_SPECS (city, jhj, busy, ...) to Organ rows.
seed_demo calls the wipes in reverse order before rebuilding, so that running it twice gives
the same database.
"""
