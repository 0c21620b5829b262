"""Helpers shared by the command tests: running a command as an operator would, the
import format's header and rows, and what the database holds."""

import io
from io import StringIO

from django.core.management import CommandError, call_command

from salaries.models import Candidate, Offer, OfferTechnology, Specialization, Technology

HEADER = "offer_id,candidate_id,offered_on,specialization,technologies,salary,seniority"
GOOD_ROWS = [
    "o1,c1,2024-01-10,back-end,python;flask,7000,senior",
    "o2,c1,2024-02-10,back-end,python;django,6500,middle",
    "o3,c2,2023-03-10,front-end,react,5000,junior",
]


def write(tmp_path, rows, name="offers.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(*args, stdin=None, monkeypatch=None):
    out, err = StringIO(), StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        call_command("import_offers", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Offer, OfferTechnology, Candidate, Specialization, Technology)
    }


def run_command(*args) -> str:
    """A command's standard output; a ``CommandError`` propagates."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
