"""The production settings for the app servers the scale-out tests start, without collectstatic.

The manifest storage needs collectstatic (two minutes with the admin's files); these pages only
need the static URLs.
"""

from disclosure_portal.settings import *  # noqa: F403
from disclosure_portal.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
