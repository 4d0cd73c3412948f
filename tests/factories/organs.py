from django.contrib.auth import get_user_model
from django.utils import timezone

import factory

from apps.organs.enums import ReviewState
from apps.organs.models import Membership, Organ, OrganPage


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organ

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    short_name = factory.Sequence(lambda n: f"第{n}局")
    slug = factory.Sequence(lambda n: f"organ-{n}")
    code = factory.Sequence(lambda n: f"11230000{n:09d}X"[:18])
    office_address = "测试市政府大楼"
    office_hours = "工作日 8:30-11:30，13:30-17:00"
    phone = "0453-0000000"


class OrganPageFactory(factory.django.DjangoModelFactory):
    """A page already published (the public copy is the working copy); ``published=False`` for a
    draft the public does not see."""

    class Meta:
        model = OrganPage

    class Params:
        published = True

    organ = factory.SubFactory(OrganFactory)
    kind = OrganPage.Kind.GUIDE
    title = "政府信息公开指南"
    body = "一、主动公开\n\n二、依申请公开"
    status = factory.Maybe("published", ReviewState.PUBLISHED, ReviewState.DRAFT)
    published_title = factory.Maybe("published", factory.SelfAttribute("title"), "")
    published_body = factory.Maybe("published", factory.SelfAttribute("body"), "")
    published_at = factory.Maybe("published", factory.LazyFunction(timezone.now), None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, is_staff=True)
    organ = factory.SubFactory(OrganFactory)
