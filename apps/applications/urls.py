from django.urls import path

from apps.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("receipt/", views.receipt, name="receipt"),
    path("status/", views.lookup, name="lookup"),
    path("status/<str:code>/", views.status, name="status"),
    path("status/<str:code>/correction/", views.correction, name="correction"),
    path("status/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("status/<str:code>/reply/", views.reply_document, name="reply_document"),
]
