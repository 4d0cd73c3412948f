from django.urls import path

from apps.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("<int:pk>/", views.reply_detail, name="detail"),
    path("<int:pk>/reply/", views.reply_document, name="document"),
]
