"""Import and export of catalog entries as CSV/XLSX with Chinese column headers (django-import-export)."""

from apps.catalog.resources.entries import COLUMNS, CatalogEntryResource, entries_import
from apps.catalog.resources.formats import FORMATS

__all__ = ["COLUMNS", "FORMATS", "CatalogEntryResource", "entries_import"]
