"""The organs that disclose, with the contacts of their 指南 (条例第十二条)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from apps.api.base import PublicAPIView, not_found
from apps.api.serializers import OrganSerializer
from apps.organs.selectors import public_organs


def _organs():
    return public_organs().order_by("sort_order", "name")


class OrganList(PublicAPIView):
    @extend_schema(
        operation_id="organs_list",
        summary="Organs",
        description="Every active organ, in the site's order (one list, no pages).",
        responses=OrganSerializer(many=True),
    )
    def get(self, request):
        return Response(OrganSerializer(_organs(), many=True, context={"request": request}).data)


class OrganDetail(PublicAPIView):
    @extend_schema(operation_id="organ_detail", summary="One organ", responses=OrganSerializer)
    def get(self, request, slug: str):
        organ = _organs().filter(slug=slug).first()
        if organ is None:
            raise not_found()
        return Response(OrganSerializer(organ, context={"request": request}).data)
