"""``load_demo_data`` with the editorial part: the salaries catalogue and offers first (the
command this one extends), then the demo articles. Safe to run again: an article that
already exists is left as the editors have it."""

from django.db import transaction

from articles.demo import ARTICLES
from articles.models import ArticlePage
from articles.services import page_tree_ensure
from salaries.management.commands import load_demo_data
from salaries.models import Specialization, Technology


class Command(load_demo_data.Command):
    help = load_demo_data.Command.help + " Then publish the demo articles."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        created = self._load_articles()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo articles: {created} published, {len(ARTICLES) - created} already there."
            )
        )

    @transaction.atomic
    def _load_articles(self) -> int:
        index = page_tree_ensure()
        specs = dict(Specialization.objects.values_list("slug", "pk"))
        techs = dict(Technology.objects.values_list("slug", "pk"))
        created = 0
        for article in ARTICLES:
            if ArticlePage.objects.filter(slug=article.slug).exists():
                continue
            page = ArticlePage(
                title=article.title,
                slug=article.slug,
                intro=article.intro,
                author=article.author,
                date=article.date,
                search_description=article.search_description,
                topic_specialization_id=specs.get(article.specialization),
                topic_technology_id=techs.get(article.technology),
                body=article.body(specs.__getitem__, techs.__getitem__),
            )
            page.tags.add(*article.tags)
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        return created
