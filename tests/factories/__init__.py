"""factory_boy factories for every model; personas live in tests/conftest.py."""

from tests.factories.catalog import CatalogEntryFactory, GenreFactory, ThemeFactory
from tests.factories.organs import MembershipFactory, OrganFactory, OrganPageFactory, UserFactory

__all__ = [
    "CatalogEntryFactory",
    "GenreFactory",
    "MembershipFactory",
    "OrganFactory",
    "OrganPageFactory",
    "ThemeFactory",
    "UserFactory",
]
