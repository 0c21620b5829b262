"""What the salary views share: canonical slugs in URLs and year-over-year changes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from salaries.formatting import money
from salaries.slugs import ALL


def lowercase_redirect(request: HttpRequest, *slugs: str) -> HttpResponse | None:
    """Slugs are lower-case; a mixed-case URL moves permanently to the canonical one."""
    if any(slug != slug.lower() for slug in slugs):
        return redirect(request.path.lower(), permanent=True)
    return None


def named(model, slug: str):
    """The object for ``slug``, ``None`` for ``all``; unknown slugs are a 404."""
    if slug == ALL:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise Http404(f"No {model._meta.verbose_name} {slug!r}.")
    return found


def percent(part: int, whole: int) -> str:
    if not whole:
        return ""
    return f"{(part - whole) * 100 / whole:+.1f}%"


def change(current: int | None, previous: int | None) -> dict | None:
    if current is None or previous is None:
        return None
    delta = current - previous
    return {
        "delta": delta,
        "display": f"{'+' if delta > 0 else '−' if delta < 0 else '±'}{money(abs(delta))}",
        "percent": percent(current, previous),
        "direction": "up" if delta > 0 else "down" if delta < 0 else "flat",
    }
