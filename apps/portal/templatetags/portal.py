from django import template

from apps.portal import links

register = template.Library()


@register.filter
def entry_url(entry) -> str:
    """{{ entry|entry_url }}: the entry's detail page (see apps.portal.links.entry_url)."""
    return links.entry_url(entry)


@register.simple_tag
def catalog_url(**params) -> str:
    """{% catalog_url organ=organ.slug item=3 %} → /catalog/?organ=…&item=3"""
    return links.catalog_list_url(**params)
