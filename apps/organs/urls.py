from django.urls import path

from apps.organs import views
from apps.organs.models import OrganPage

app_name = "organs"

urlpatterns = [
    path("", views.organ_list, name="list"),
    path("<slug:slug>/", views.organ_detail, name="detail"),
    path("<slug:slug>/guide/", views.organ_page, {"kind": OrganPage.Kind.GUIDE}, name="guide"),
    path("<slug:slug>/rules/", views.organ_page, {"kind": OrganPage.Kind.RULES}, name="rules"),
    path("<slug:slug>/disclosures/", views.organ_disclosures, name="disclosures"),
]
