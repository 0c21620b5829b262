"""Publishing changes what cached pages show: articles in listings and on salary pages."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from salaries.caching import salary_pages_invalidate


@receiver(page_published)
@receiver(page_unpublished)
def _pages_changed(**kwargs) -> None:
    salary_pages_invalidate()
