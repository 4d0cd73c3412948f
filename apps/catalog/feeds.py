"""Atom feeds of new disclosures: the whole portal and one per organ (published entries only)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from apps.catalog.models import CatalogEntry
from apps.catalog.selectors import published_entries
from apps.organs.models import Organ
from apps.organs.selectors import public_organs

FEED_SIZE = 50


class LatestEntriesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None) -> str:
        return _("%(portal)s · 最新公开信息") % {"portal": settings.PORTAL_NAME}

    def subtitle(self, obj=None) -> str:
        return _("政府信息公开目录中最新发布的%(n)s条信息") % {"n": FEED_SIZE}

    def link(self, obj=None) -> str:
        return reverse("catalog:list")

    def items(self, obj=None):
        return list(published_entries()[:FEED_SIZE])

    def item_title(self, item: CatalogEntry) -> str:
        return item.title

    def item_description(self, item: CatalogEntry) -> str:
        return item.summary

    def item_pubdate(self, item: CatalogEntry) -> dt.datetime:
        # 发布日期 is what the catalog shows; published_at only breaks ties within the day.
        return timezone.make_aware(dt.datetime.combine(item.publish_date, dt.time(0, 0)))

    def item_updateddate(self, item: CatalogEntry) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: CatalogEntry) -> str:
        return item.publisher_name

    def item_categories(self, item: CatalogEntry) -> list[str]:
        return [item.theme.path, item.genre.name]


class OrganEntriesFeed(LatestEntriesFeed):
    def get_object(self, request, organ_slug: str) -> Organ:
        try:
            return public_organs().get(slug=organ_slug)
        except Organ.DoesNotExist as exc:
            raise Http404(_("没有这个机关。")) from exc

    def title(self, obj: Organ) -> str:
        return _("%(organ)s · 最新公开信息") % {"organ": obj.name}

    def subtitle(self, obj: Organ) -> str:
        return _("%(organ)s最新发布的政府信息") % {"organ": obj.name}

    def link(self, obj: Organ) -> str:
        return f"{reverse('catalog:list')}?organ={obj.slug}"

    def items(self, obj: Organ):
        return list(published_entries().filter(organ=obj)[:FEED_SIZE])
