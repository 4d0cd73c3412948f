import pytest


@pytest.fixture(autouse=True)
def _static_storage(settings):
    # The public pages load static files; the manifest storage of DEBUG=false needs collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
