"""Cells of the catalog import file: dates, Chinese labels, 条例第二十条 items, themes, genres.

Each widget reads what clerks type in Excel or WPS and writes what they would type.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from import_export import widgets

from apps.catalog.enums import ArticleTwentyItem
from apps.catalog.models import Genre, ThemeCategory
from apps.organs.spreadsheets import unescape_cell

DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
THEME_SEPARATORS = ("\\", "＼", "/", "／")


def cell_text(value) -> str:
    """A cell as stripped text: empty for None, 12 rather than 12.0 for a number from Excel."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # An exported "'=…" cell (apps.organs.spreadsheets) imports as the "=…" it was.
    return unescape_cell(str(value).strip())


def chinese_numeral(text: str) -> int | None:
    """一 … 十九 (enough for 条例第二十条's fifteen items)."""
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CHINESE_DIGITS[text[1]] if len(text) == 2 else None
    if len(text) == 1:
        return CHINESE_DIGITS[text]
    if len(text) == 2 and text[1] == "十":
        return CHINESE_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return CHINESE_DIGITS[text[0]] * 10 + CHINESE_DIGITS[text[2]]
    return None


class DateWidget(widgets.Widget):
    """YYYY-MM-DD text, or a real date cell from Excel/WPS."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        match = DATE_RE.match(text)
        if not match:
            raise ValueError(_("日期格式应为 YYYY-MM-DD"))
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(_("日期「%(value)s」不存在") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceLabelWidget(widgets.Widget):
    """A TextChoices field written as its Chinese label (有效, 已发布 …)."""

    def __init__(self, choices, *, default=None):
        super().__init__()
        self.choices = choices
        self.default = default
        self._by_language: dict[str | None, dict[str, str]] = {}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.default
        found = self._values().get(text)
        if found is None:
            raise ValueError(
                _("应为以下之一：%(labels)s") % {"labels": "、".join(str(c.label) for c in self.choices)}
            )
        return found

    def _values(self) -> dict[str, str]:
        """Label or value → value, for the active language (a translated label is looked up once)."""
        language = get_language()
        values = self._by_language.get(language)
        if values is None:
            values = {str(c.value): c.value for c in self.choices}
            values.update({str(c.label): c.value for c in reversed(self.choices)})
            self._by_language[language] = values
        return values

    def render(self, value, obj=None, **kwargs):
        for choice in self.choices:
            if choice.value == value:
                return str(choice.label)
        return ""


class ArticleItemWidget(widgets.Widget):
    """条例第二十条 item: "（一）…" as exported, or just 1 / 一 / （一）."""

    pattern = re.compile(r"^(?:第二十条)?(?:第)?[（(]?([一二三四五六七八九十]+|\d+)[)）]?")

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        match = self.pattern.match(text)
        number = None
        if match:
            token = match.group(1)
            number = int(token) if token.isdigit() else chinese_numeral(token)
        if number not in ArticleTwentyItem.values:
            raise ValueError(_("应为第二十条的项号（一）至（十五），如“（一）”或“1”"))
        return number

    def render(self, value, obj=None, **kwargs):
        return str(ArticleTwentyItem(value).label) if value else ""


class ThemeWidget(widgets.Widget):
    """主题分类 as 一级\\二级 (or just 一级), the form used on detail pages."""

    def __init__(self):
        super().__init__()
        self._by_path: dict[str, ThemeCategory] | None = None

    def _themes(self) -> dict[str, ThemeCategory]:
        if self._by_path is None:
            self._by_path = {t.path: t for t in ThemeCategory.objects.select_related("parent")}
        return self._by_path

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        for sep in THEME_SEPARATORS[1:]:
            text = text.replace(sep, "\\")
        path = "\\".join(part.strip() for part in text.split("\\"))
        theme = self._themes().get(path)
        if theme is None:
            raise ValueError(
                _("找不到主题分类「%(value)s」，应写作“一级\\二级”，如“综合政务\\政务公开”")
                % {"value": cell_text(value)}
            )
        return theme

    def render(self, value, obj=None, **kwargs):
        return value.path if value else ""


class GenreWidget(widgets.Widget):
    def __init__(self):
        super().__init__()
        self._by_name: dict[str, Genre] | None = None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if self._by_name is None:
            self._by_name = {g.name: g for g in Genre.objects.all()}
        genre = self._by_name.get(text)
        if genre is None:
            raise ValueError(
                _("找不到体裁「%(value)s」，可用的体裁：%(names)s")
                % {"value": text, "names": "、".join(self._by_name)}
            )
        return genre

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)
