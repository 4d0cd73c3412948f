"""The project's URLs plus the public proposals column, until disclosure_portal/urls.py routes it."""

from django.urls import include, path

from disclosure_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("proposals/", include("apps.proposals.urls")), *project_urlpatterns]
