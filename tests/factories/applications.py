"""Applications are built through the services, so the event log and the due date are real."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from apps.applications import services
from apps.applications.enums import ApplicantType, Channel, DeliveryForm, DeliveryWay, IdentityType
from apps.applications.identity import resident_id_check_char
from apps.applications.models import Application
from tests.factories.organs import OrganFactory, UserFactory

_serial = itertools.count(1)


def resident_id(birth: str = "19850312", region: str = "231002", serial: int | None = None) -> str:
    """A valid 18-digit 居民身份证号码 (checksum per GB 11643)."""
    serial = next(_serial) % 1000 if serial is None else serial
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def applicant_fields(**overrides) -> dict:
    n = next(_serial)
    fields = {
        "applicant_type": ApplicantType.NATURAL,
        "applicant_name": "张三",
        "id_type": IdentityType.RESIDENT_ID,
        "id_number": resident_id(),
        "phone": f"139{n:08d}",
        "email": f"applicant{n}@example.com",
        "address": f"黑龙江省牡丹江市东安区太平路{n}号",
        "postal_code": "157000",
        "info_title": "2024年度城市道路维修计划",
        "info_description": "请公开2024年度城市道路维修计划及其预算。",
        "delivery_form": DeliveryForm.ELECTRONIC,
        "delivery_way": DeliveryWay.EMAIL,
    }
    if overrides.get("applicant_type", ApplicantType.NATURAL) != ApplicantType.NATURAL:
        fields.update(id_type="", id_number="", credit_code="91231000MA1B2C3D4E", contact_person="李四")
    fields.update(overrides)
    return fields


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application registered in person (received the same day), status 办理中."""

    class Meta:
        model = Application

    organ = factory.SubFactory(OrganFactory)
    actor = factory.SubFactory(UserFactory, is_staff=True)
    channel = Channel.IN_PERSON
    received_on = dt.date(2024, 3, 4)

    @classmethod
    def _create(cls, model_class, *, organ, actor, channel, received_on, **overrides):
        submitted_on = overrides.pop("submitted_on", received_on)
        return services.application_register(
            organ=organ,
            actor=actor,
            channel=channel,
            submitted_on=submitted_on,
            received_on=received_on,
            **applicant_fields(**overrides),
        )
