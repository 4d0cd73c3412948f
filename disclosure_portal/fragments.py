"""{% fragment name var ... %}…{% endfragment %}: a piece of a public page rendered once per content
generation in each process (disclosure_portal.caching.rendered_fragment).

For the parts that many pages share and that cost most to render: the navigation, the footer, a
catalog entry in a result list. The key is the name, the language and the values of the variables
named after it; everything the fragment shows must be determined by them (never a user, a CSRF token
or a form). Registered as the "fragments" library in settings.TEMPLATES, so any app's templates can
load it.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from disclosure_portal.caching import rendered_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list[template.base.FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        key = (self.name, translation.get_language(), *(str(v.resolve(context)) for v in self.vary_on))
        return mark_safe(rendered_fragment(key, lambda: self.nodelist.render(context)))


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name: {% fragment 'footer' organ.pk %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
