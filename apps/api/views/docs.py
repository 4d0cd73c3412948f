"""The API's landing page and its browsable documentation (Swagger UI, served from this site)."""

from __future__ import annotations

from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from apps.api.base import PublicAPIView


class ApiRoot(PublicAPIView):
    @extend_schema(exclude=True)
    def get(self, request):
        def url(name: str, *args) -> str:
            return request.build_absolute_uri(reverse(name, args=args))

        return Response(
            {
                "organs": url("api:organs"),
                "catalog_entries": url("api:entries"),
                "catalog_entries_csv": url("api:entries_csv"),
                "catalog_entries_xlsx": url("api:entries_xlsx"),
                "reports": url("api:reports"),
                "statistics": url("api:statistics"),
                "statistics_csv": url("api:statistics_download", "csv"),
                "statistics_xlsx": url("api:statistics_download", "xlsx"),
                "schema": url("api:schema"),
                "docs": url("api:docs"),
            }
        )


def swagger_ui(request):
    """Swagger UI from drf-spectacular-sidecar's files, started by static/js/api-docs.js: no inline
    script or style, so the site's Content Security Policy holds here too."""
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api:schema") + "?format=json",
            "swagger_css": static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"),
            "swagger_js": static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        },
    )
