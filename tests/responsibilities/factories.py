"""Factories for organisations, people and teams; history-relevant rows go through the services."""

import itertools

import factory
from django.contrib.auth import get_user_model

from responsibilities import services
from responsibilities.models import Organisation, OrganisationKind, Person, PostLevel

_codes = itertools.count(1)


def superuser():
    user, _ = get_user_model().objects.get_or_create(
        username="factory-root", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def make_organisation(parent=None, name=None, kind=OrganisationKind.COMMITTEE, code=None) -> Organisation:
    number = next(_codes)
    return services.organisation_create(
        parent=parent, name=name or f"组织{number}", code=code or f"T{number:05d}", kind=kind, by=superuser()
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"干部{n}")
    post = "班子成员"
    post_level = PostLevel.COUNTY_DEPUTY
    home_organisation = factory.LazyFunction(make_organisation)
