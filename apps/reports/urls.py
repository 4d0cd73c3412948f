from django.urls import path

from apps.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:organ_slug>/", views.organ_reports, name="organ"),
    path("<slug:organ_slug>/<int:year>/", views.report_detail, name="detail"),
    path("<slug:organ_slug>/<int:year>/v<int:number>/", views.report_version, name="version"),
    path("<slug:organ_slug>/<int:year>/v<int:number>.pdf", views.report_version_pdf, name="version_pdf"),
]
