"""Editorial changes that salary pages show: names, descriptions, related technologies.

They do not move the statistics generation, so they move the pages' content version.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from salaries.caching import salary_pages_invalidate
from salaries.models import Specialization, Technology


@receiver(post_save, sender=Specialization)
@receiver(post_save, sender=Technology)
@receiver(post_delete, sender=Specialization)
@receiver(post_delete, sender=Technology)
@receiver(m2m_changed, sender=Technology.related.through)
def _catalogue_changed(**kwargs) -> None:
    salary_pages_invalidate()
