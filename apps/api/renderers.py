"""DRF's browsable API, held to the site's Content Security Policy."""

from __future__ import annotations

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API without its inline <style> (Pygments' colours): the site's CSP allows no
    inline CSS, and the JSON reads well without syntax colours."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context
