import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from apps.catalog import services
from tests.factories import CatalogEntryFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """Tests ask many times from one address; the rate-limit tests set their own rates."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "10000/minute", "downloads": "10000/minute"},
    }


@pytest.fixture
def hidden(organ_a):
    """A draft and a withdrawn entry, each with an attachment: never public."""
    draft = CatalogEntryFactory(organ=organ_a, title="草稿中的招商文件", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="已撤回的招商文件")
    services.entry_withdraw(entry=withdrawn, reason="内容有误")
    for entry in (draft, withdrawn):
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("秘密.pdf", PDF))
    return draft, withdrawn


def entries(organ, count: int, *, start=dt.date(2024, 3, 1), **kwargs):
    """`count` published entries, one a day from `start` on (the newest last)."""
    return [
        CatalogEntryFactory(organ=organ, publish_date=start + dt.timedelta(days=i), **kwargs)
        for i in range(count)
    ]
