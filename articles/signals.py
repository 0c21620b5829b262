"""Changes to what cached pages show or who may see them: publishing, unpublishing,
moving or deleting pages, and view restrictions (a cached copy of a page that has just
been restricted must not outlive the restriction). And what follows a statistics run."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.response_cache import cached_responses_invalidate
from salaries.events import stats_published


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _pages_changed(**kwargs) -> None:
    cached_responses_invalidate()


@receiver(stats_published)
def _statistics_published(run, **kwargs) -> None:
    """After each statistics run: keep a copy of its figures (to see what moved) and
    prepare the draft issue "Salary figures updated" for editors (never sent by itself)."""
    from articles.figures import figures_record
    from articles.newsletter.services import issue_prepare_after_run

    figures_record(run=run)
    issue_prepare_after_run(run=run)
