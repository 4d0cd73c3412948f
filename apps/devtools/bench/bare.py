"""The yardstick of `make bench-http`: a Django view that answers "hello", served with the portal's own
settings and middleware (bare_settings), so that a page's req/s can be stated as a share of what this
machine does with Django at all."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("", hello)]
