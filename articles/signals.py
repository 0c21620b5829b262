"""Changes to what cached pages show or who may see them: publishing, unpublishing,
moving or deleting pages, and view restrictions (a cached copy of a page that has just
been restricted must not outlive the restriction)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.response_cache import cached_responses_invalidate


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _pages_changed(**kwargs) -> None:
    cached_responses_invalidate()
