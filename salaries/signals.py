"""Editorial changes that salary pages show: names, descriptions, related technologies.
They do not move the statistics generation, so they move the pages' content version.

Changes to partners and their keys drop the cached keys, so a revocation holds at once.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from portal.response_cache import cached_responses_invalidate
from salaries.models import Partner, PartnerAPIKey, Specialization, Technology
from salaries.selectors import partner_keys_forget


@receiver(post_save, sender=Specialization)
@receiver(post_save, sender=Technology)
@receiver(post_delete, sender=Specialization)
@receiver(post_delete, sender=Technology)
@receiver(m2m_changed, sender=Technology.related.through)
def _catalogue_changed(**kwargs) -> None:
    cached_responses_invalidate()


@receiver(post_save, sender=PartnerAPIKey)
@receiver(post_delete, sender=PartnerAPIKey)
def _partner_key_changed(instance: PartnerAPIKey, **kwargs) -> None:
    partner_keys_forget(prefixes=[instance.prefix])


@receiver(post_save, sender=Partner)
@receiver(post_delete, sender=Partner)
def _partner_changed(instance: Partner, **kwargs) -> None:
    # On delete the keys are gone already (cascade); their own signals forgot them.
    partner_keys_forget(
        prefixes=PartnerAPIKey.objects.filter(partner=instance).values_list("prefix", flat=True)
    )
