import pytest

from apps.workdays.calendar import calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Tests here write the calendar inside a rolled-back transaction: never let a cached
    snapshot of one test leak into the next."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage of production needs collectstatic; the admin pages render {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
