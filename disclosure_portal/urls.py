from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.catalog.sitemaps import catalog_sitemap
from apps.organs.admin_scoping import view_on_site
from apps.portal import views as portal_views
from apps.portal.sitemaps import SECTIONS, robots_txt, sitemap_index

handler500 = "disclosure_portal.views.server_error"

admin.site.site_header = _("政府信息公开管理后台")
admin.site.site_title = _("政府信息公开管理后台")
admin.site.index_title = _("工作台")

urlpatterns = [
    # Before admin.site.urls: the admin's own "view on site" redirect ignores organ scoping.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-catalog-<int:page>.xml", catalog_sitemap, name="sitemap_catalog"),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SECTIONS}, name="sitemap_section"),
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("catalog/", include("apps.catalog.urls")),
    path("apply/", include("apps.applications.urls")),
    path("reports/", include("apps.reports.urls")),
    path("api/", include("apps.api.urls")),
    path("proposals/", include("apps.proposals.urls")),
    path("", include("apps.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
