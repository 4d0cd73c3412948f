import datetime as dt
import uuid

import pytest

from apps.applications import services
from tests.factories.applications import ApplicationFactory, applicant_fields


@pytest.fixture
def received(organ_a, alice):
    """An application received in person on Monday 2024-03-04, 办理中."""
    return ApplicationFactory(organ=organ_a, actor=alice, received_on=dt.date(2024, 3, 4))


@pytest.fixture
def online(organ_a):
    application, _ = services.application_submit_online(
        organ=organ_a, idempotency_token=uuid.uuid4(), **applicant_fields(phone="13912345678")
    )
    return application


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas get real passwords; PBKDF2 on a shared 2-core machine costs seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
