"""The portal's settings with the bare view as the only URL (DJANGO_SETTINGS_MODULE for the yardstick)."""

from disclosure_portal.settings import *  # noqa: F403

ROOT_URLCONF = "apps.devtools.bench.bare"
