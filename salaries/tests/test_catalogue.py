"""The hand-made catalogue: names and descriptions over the importer's readable names,
related technologies, and nothing doubled when it is written again."""

import pytest

from salaries.catalogue import catalogue_update
from salaries.demo import Spec, Tech
from salaries.models import Specialization, Technology

pytestmark = pytest.mark.django_db

SPECS = (Spec("back-end", "Back-End", "Back-End Web Developer", "Builds servers.", 1.0, ()),)
TECHS = (
    Tech("node-js", "Node.js", "JavaScript on the server.", related=("flask",)),
    Tech("flask", "Flask", "A lightweight Python web framework."),
)


def test_catalogue_replaces_readable_names_and_relates_technologies():
    Technology.objects.create(slug="node-js", name="Node Js")  # as the importer names it
    catalogue_update(specializations=SPECS, technologies=TECHS)
    catalogue_update(specializations=SPECS, technologies=TECHS)

    node = Technology.objects.get(slug="node-js")
    assert (node.name, node.description) == ("Node.js", "JavaScript on the server.")
    assert Technology.objects.count() == 2 and Specialization.objects.count() == 1
    assert Specialization.objects.get().person_title == "Back-End Web Developer"
    # Relations read both ways: Flask's page compares itself with Node.js too.
    assert list(Technology.objects.get(slug="flask").related.values_list("slug", flat=True)) == [
        "node-js"
    ]


def test_relations_an_editor_added_are_kept():
    catalogue_update(specializations=SPECS, technologies=TECHS)
    django = Technology.objects.create(slug="django", name="Django")
    Technology.objects.get(slug="flask").related.add(django)
    catalogue_update(specializations=SPECS, technologies=TECHS)
    assert set(Technology.objects.get(slug="flask").related.values_list("slug", flat=True)) == {
        "node-js",
        "django",
    }
