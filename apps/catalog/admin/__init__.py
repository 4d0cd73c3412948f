"""The clerks' back office for the 政府信息公开目录: entries (with import and export, 政策解读), themes,
genres."""

from apps.catalog.admin import entries, interpretations, taxonomy

__all__ = ["entries", "interpretations", "taxonomy"]
