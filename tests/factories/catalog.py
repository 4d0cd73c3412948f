import datetime as dt

import factory

from apps.catalog import services
from apps.catalog.models import CatalogEntry, Genre, ThemeCategory
from tests.factories.organs import OrganFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeCategory
        django_get_or_create = ("name", "parent")

    name = "政务公开"
    parent = factory.LazyFunction(
        lambda: ThemeCategory.objects.get_or_create(name="综合政务", parent=None)[0]
    )


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = "通知"


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    """Builds entries through the service, so 索引号 and search vectors are real."""

    class Meta:
        model = CatalogEntry

    organ = factory.SubFactory(OrganFactory)
    title = factory.Sequence(lambda n: f"关于做好第{n}批政务公开工作的通知")
    summary = "就做好政务公开工作有关事项通知如下。"
    body = "各单位：为贯彻落实《中华人民共和国政府信息公开条例》，现就有关事项通知如下。"
    publish_date = dt.date(2024, 3, 1)
    theme = factory.SubFactory(ThemeFactory)
    genre = factory.SubFactory(GenreFactory)
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.entry_create(**kwargs)
