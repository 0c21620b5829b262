"""factory_boy factories for tests: small, explicit data per test."""

import datetime

import factory
from django.utils import timezone

from salaries.models import Candidate, Offer, OfferTechnology, Specialization, Technology


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"spec-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class TechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technology
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tech-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        django_get_or_create = ("external_id",)

    external_id = factory.Sequence(lambda n: f"cand-{n}")


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer; pass ``technologies=[...]`` (Technology objects) to link them."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    offer_id = factory.Sequence(lambda n: f"offer-{n}")
    candidate = factory.SubFactory(CandidateFactory)
    specialization = factory.SubFactory(SpecializationFactory)
    salary = 5000
    offered_on = datetime.date(2024, 6, 1)
    seniority = ""
    imported_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def technologies(self, create, extracted, **kwargs):
        if create and extracted:
            OfferTechnology.objects.bulk_create(
                OfferTechnology(offer=self, technology=tech) for tech in extracted
            )
