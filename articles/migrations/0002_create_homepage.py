"""Replace Wagtail's placeholder welcome page with the site's HomePage and an Articles section."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("articles.HomePage")
    ArticleIndexPage = apps.get_model("articles.ArticleIndexPage")

    if HomePage.objects.exists():
        return

    # Wagtail's own migration leaves a generic page at depth 2; it has no content to keep.
    Page.objects.filter(depth=2, content_type__model="page", url_path="/home/").delete()

    home_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="articles")
    index_ct, _ = ContentType.objects.get_or_create(
        model="articleindexpage", app_label="articles"
    )
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)

    home = HomePage.objects.create(
        title="Developer salaries",
        draft_title="Developer salaries",
        slug="home",
        content_type=home_ct,
        path=f"{root.path}0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
        seo_title="Developer salaries by technology",
        search_description=(
            "What developers earn, by specialization and technology: offer-weighted "
            "median salary expectations, histograms and trends from real job offers."
        ),
    )
    ArticleIndexPage.objects.create(
        title="Articles",
        draft_title="Articles",
        slug="articles",
        content_type=index_ct,
        path=f"{home.path}0001",
        depth=3,
        numchild=0,
        url_path="/home/articles/",
        locale=locale,
        live=True,
        intro="<p>Role guides, technology deep dives and salary analysis.</p>",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])

    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True)


def remove_homepage(apps, schema_editor):
    apps.get_model("wagtailcore.Site").objects.all().delete()
    apps.get_model("articles.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
