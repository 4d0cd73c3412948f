from django.urls import path

from apps.organs.models import OrganPage
from apps.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("organs/", views.organ_list, name="organs"),
    path("organs/<slug:slug>/", views.organ_detail, name="organ"),
    path("organs/<slug:slug>/guide/", views.organ_page, {"kind": OrganPage.Kind.GUIDE}, name="organ_guide"),
    path("organs/<slug:slug>/rules/", views.organ_page, {"kind": OrganPage.Kind.RULES}, name="organ_rules"),
    path("organs/<slug:slug>/disclosures/", views.organ_disclosures, name="organ_disclosures"),
]
