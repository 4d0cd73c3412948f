from django.urls import path

from apps.catalog import feeds, views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("feed/", feeds.LatestEntriesFeed(), name="feed"),
    path("feed/<slug:organ_slug>/", feeds.OrganEntriesFeed(), name="organ_feed"),
    path("attachments/<str:token>/", views.attachment_download, name="attachment"),
    # Last: 索引号 contains a slash (11231000MB0000001X/2018-00012).
    path("<path:index_number>/", views.catalog_detail, name="detail"),
]
