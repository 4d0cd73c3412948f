"""The public catalog's filter form (django-filter), turned into CatalogFilters.

Every parameter is validated on its own; an invalid one (organ=nonexistent, year=abc,
theme=1'; DROP) is simply not applied, so the visitor gets the unfiltered list instead
of an error. Choices come from the FacetLookups already loaded for the facets, so the
form validates without any query of its own.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

import django_filters

from apps.catalog.enums import ArticleTwentyItem, Validity
from apps.catalog.models import CatalogEntry
from apps.catalog.search import MAX_QUERY_CHARS
from apps.catalog.selectors import CatalogFilters, FacetLookups

SORT_DATE, SORT_RELEVANCE = "date", "relevance"
SORT_CHOICES = [(SORT_DATE, _("按发布日期")), (SORT_RELEVANCE, _("按相关度"))]
NO_ITEM = 0


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class LenientCharField(forms.CharField):
    """Never invalid: an over-long query is cut, not rejected (search.parse_query cuts again)."""

    def to_python(self, value):
        return super().to_python(value)[: MAX_QUERY_CHARS * 2]


class QueryFilter(django_filters.CharFilter):
    field_class = LenientCharField


class CatalogFilterSet(django_filters.FilterSet):
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
        self.lookups = lookups
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
        # Filtering is done by the selectors from catalog_filters(); see filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        return queryset.filter(self.catalog_filters().as_q())

    @property
    def cleaned(self) -> dict:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}

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
