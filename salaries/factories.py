"""factory_boy factories for tests: small, explicit data per test."""

import datetime

import factory
from django.utils import timezone

from salaries.models import Candidate, Offer, OfferTechnology, Specialization, Technology


class NamedSlugFactory(factory.django.DjangoModelFactory):
    """A slug, and a name made from it the way the importer makes one."""

    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class SpecializationFactory(NamedSlugFactory):
    class Meta:
        model = Specialization

    slug = factory.Sequence(lambda n: f"spec-{n}")


class TechnologyFactory(NamedSlugFactory):
    class Meta:
        model = Technology

    slug = factory.Sequence(lambda n: f"tech-{n}")


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


SENIORITY_LEVELS = ["junior", "middle", "senior", "expert", ""]


def add_offers(spec, techs, year, count, *, rng, base=6000, candidates=None):
    """``count`` offers for one slice with salaries spread around ``base`` (random but
    reproducible through ``rng``), from a pool of about a third as many candidates."""
    people = candidates or [CandidateFactory() for _ in range(max(1, count // 3))]
    for _ in range(count):
        OfferFactory(
            specialization=spec,
            technologies=techs,
            salary=max(1, int(rng.gauss(base, base * 0.3))),
            offered_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            seniority=rng.choice(SENIORITY_LEVELS),
            candidate=rng.choice(people),
        )
