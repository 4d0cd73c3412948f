"""The public catalog's filter parameters, validated and turned into CatalogFilters.

Every parameter is validated on its own; an invalid one (organ=nonexistent, year=abc,
theme=1'; DROP) is simply not applied, so the visitor gets the unfiltered list instead
of an error. Choices come from the FacetLookups already loaded for the facets, so the
parameters are validated without any query of their own.

Every list page and API call validates its parameters, so CatalogFilterSet checks them with
plain code against the lookups: building django-filter's form deep-copies the choice lists
(over a hundred themes) on every request, about a millisecond of CPU. The form (ParameterForm)
is still built for callers that report what was wrong (the API's 400); tests check that both
accept the same values.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import django_filters

from apps.catalog.enums import ArticleTwentyItem, Validity
from apps.catalog.models import CatalogEntry
from apps.catalog.search import MAX_QUERY_CHARS
from apps.catalog.selectors import CatalogFilters, FacetLookups

SORT_DATE, SORT_RELEVANCE = "date", "relevance"
SORT_CHOICES = [(SORT_DATE, _("按发布日期")), (SORT_RELEVANCE, _("按相关度"))]
NO_ITEM = 0

PARAMETERS = ("q", "organ", "theme", "subtheme", "genre", "year", "validity", "item", "sort")


class LenientCharField(forms.CharField):
    """Never invalid: an over-long query is cut, not rejected (search.parse_query cuts again)."""

    def to_python(self, value):
        return super().to_python(value)[: MAX_QUERY_CHARS * 2]


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class QueryFilter(django_filters.CharFilter):
    field_class = LenientCharField


class ParameterForm(django_filters.FilterSet):
    """The parameters as a django-filter form, for its error messages (see CatalogFilterSet.form)."""

    q = QueryFilter(label=_("检索词"), method="_unfiltered")
    organ = django_filters.ChoiceFilter(label=_("发布机构"), method="_unfiltered")
    theme = django_filters.TypedChoiceFilter(label=_("主题分类"), coerce=int, method="_unfiltered")
    subtheme = django_filters.TypedChoiceFilter(label=_("二级分类"), coerce=int, method="_unfiltered")
    genre = django_filters.TypedChoiceFilter(label=_("体裁"), coerce=int, method="_unfiltered")
    year = IntegerFilter(label=_("发布年份"), min_value=1949, max_value=2100, method="_unfiltered")
    validity = django_filters.ChoiceFilter(label=_("有效性"), choices=Validity.choices, method="_unfiltered")
    item = django_filters.TypedChoiceFilter(
        label=_("法定主动公开内容"),
        coerce=int,
        choices=[(NO_ITEM, _("未标注")), *ArticleTwentyItem.choices],
        method="_unfiltered",
    )
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="_unfiltered")

    class Meta:
        model = CatalogEntry
        fields: list[str] = []

    def __init__(self, data=None, *, lookups: FacetLookups, **kwargs):
        kwargs.setdefault("queryset", CatalogEntry.objects.published())
        super().__init__(data, **kwargs)
        f = self.filters
        f["organ"].extra["choices"] = [(o.slug, o.name) for o in lookups.organs.values()]
        themes = lookups.themes.values()
        f["theme"].extra["choices"] = [(t.pk, t.name) for t in themes if t.parent_id is None]
        # Labels from the loaded dict: theme.path would query each parent.
        f["subtheme"].extra["choices"] = [
            (
                t.pk,
                f"{lookups.themes[t.parent_id].name}\\{t.name}" if t.parent_id in lookups.themes else t.name,
            )
            for t in themes
            if t.parent_id is not None
        ]
        f["genre"].extra["choices"] = [(g.pk, g.name) for g in lookups.genres.values()]

    def _unfiltered(self, queryset, name, value):
        return queryset  # the selectors filter, from CatalogFilterSet.catalog_filters()


# Stateless fields: cleaning a value with them leaves nothing behind, so one instance serves all.
_QUERY = LenientCharField(required=False)
_YEAR = forms.IntegerField(required=False, min_value=1949, max_value=2100)
_VALIDITY = frozenset(Validity.values)
_ITEMS = frozenset(str(v) for v in (NO_ITEM, *ArticleTwentyItem.values))
_SORTS = frozenset(value for value, _label in SORT_CHOICES)


class CatalogFilterSet:
    """The visitor's parameters (a QueryDict, or None when there are none), validated."""

    def __init__(self, data: Mapping | None = None, *, lookups: FacetLookups):
        self.data = data
        self.is_bound = data is not None
        self.lookups = lookups
        self._cleaned: dict | None = None
        self._form = None

    @property
    def form(self) -> forms.Form:
        """The parameters as a form, with Django's error messages for the ones that are invalid."""
        if self._form is None:
            self._form = ParameterForm(self.data, lookups=self.lookups).form
        return self._form

    @property
    def cleaned(self) -> dict:
        """The valid, non-empty parameters: q, organ (slug), year, validity and sort as strings or
        int as the form fields gave them, theme, subtheme, genre and item as int."""
        if self._cleaned is None:
            self._cleaned = self._clean() if self.is_bound else {}
        return self._cleaned

    def _clean(self) -> dict:
        data, lookups = self.data, self.lookups
        result: dict = {}
        if (q := _field_value(_QUERY, data.get("q"))) not in (None, ""):
            result["q"] = q
        if (organ := data.get("organ")) and organ in lookups.organs_by_slug:
            result["organ"] = organ
        themes = lookups.themes
        for name, valid in (
            ("theme", lambda t: t.parent_id is None),
            ("subtheme", lambda t: t.parent_id is not None),
        ):
            pk = _choice_int(data.get(name))
            if pk is not None and pk in themes and valid(themes[pk]):
                result[name] = pk
        if (genre := _choice_int(data.get("genre"))) is not None and genre in lookups.genres:
            result["genre"] = genre
        if (year := _field_value(_YEAR, data.get("year"))) is not None:
            result["year"] = year
        if (validity := data.get("validity")) in _VALIDITY:
            result["validity"] = validity
        if (item := data.get("item")) in _ITEMS:
            result["item"] = int(item)
        if (sort := data.get("sort")) in _SORTS:
            result["sort"] = sort
        return result

    def catalog_filters(self) -> CatalogFilters:
        data = self.cleaned
        organ = self.lookups.organs_by_slug.get(data["organ"]) if "organ" in data else None
        theme_ids = self.lookups.theme_family(data["theme"]) if "theme" in data else None
        subtheme = data.get("subtheme")
        if subtheme is not None and theme_ids is not None and subtheme not in theme_ids:
            subtheme = None  # a second level outside the chosen first level: ignore it
        return CatalogFilters(
            organ_id=organ.pk if organ else None,
            theme_ids=theme_ids,
            subtheme_id=subtheme,
            genre_id=data.get("genre"),
            year=data.get("year"),
            validity=data.get("validity"),
            item=data.get("item"),
        )

    @property
    def query_text(self) -> str:
        return self.cleaned.get("q", "")

    @property
    def sort_order(self) -> str:
        """Searches are ranked by relevance unless the visitor asks for dates."""
        return self.cleaned.get("sort", SORT_RELEVANCE if self.query_text.split() else SORT_DATE)


def _field_value(field: forms.Field, raw):
    """The field's cleaned value, or None when the value is invalid."""
    try:
        return field.clean(raw)
    except ValidationError:
        return None


def _choice_int(raw) -> int | None:
    """A choice given by its primary key, written as the choice writes it ("7", not " 7" or "07")."""
    if not raw or not raw.isascii() or not raw.isdigit() or (raw[0] == "0" and raw != "0"):
        return None
    return int(raw)
