"""Writes on the catalogue that the importer does not make: the names, role titles and
descriptions chosen by hand, and which technologies are related.

(The importer creates a specialization or technology it has not seen with a readable
name; this is how a prepared catalogue, such as the demo's, replaces those names.)
"""

from collections.abc import Iterable

from django.db import transaction

from salaries.demo import Spec, Tech
from salaries.models import Specialization, Technology


@transaction.atomic
def catalogue_update(*, specializations: Iterable[Spec], technologies: Iterable[Tech]) -> None:
    """Create or update each specialization and technology by slug, then add each
    technology's related technologies (slugs among ``technologies``). Running it again
    changes nothing; relations it did not make are kept."""
    for spec in specializations:
        Specialization.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "role_title": spec.role_title,
                "description": spec.description,
            },
        )
    technologies = list(technologies)
    saved = {
        tech.slug: Technology.objects.update_or_create(
            slug=tech.slug, defaults={"name": tech.name, "description": tech.description}
        )[0]
        for tech in technologies
    }
    for tech in technologies:
        saved[tech.slug].related.add(*(saved[slug] for slug in tech.related))
