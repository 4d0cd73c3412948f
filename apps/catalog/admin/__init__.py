"""The clerks' back office for the 政府信息公开目录: entries (with import and export), themes, genres."""

from apps.catalog.admin import entries, taxonomy

__all__ = ["entries", "taxonomy"]
