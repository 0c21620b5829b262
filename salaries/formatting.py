"""How figures read on the site, in one place: templates use these as filters
(``salary_tags``), Python code (charts, page descriptions) calls them directly."""


def money(value: int | float | None) -> str:
    """``7707`` -> ``"$7,707"``; ``None`` -> ``"—"``."""
    if value is None:
        return "—"
    return f"${value:,.0f}"


def per_candidate(offers: int, candidates: int) -> str:
    """Offers per candidate, one decimal: ``(571, 143)`` -> ``"4.0"``; ``"—"`` without
    candidates."""
    if not candidates:
        return "—"
    return f"{offers / candidates:.1f}"


# The headline figures of a slice, as every card shows them: the salary page, the live
# salary block and an article's topic header. ``help`` says in one line what the figure
# means (opened on demand on the salary page, where there is room for it).
STAT_CARDS = (
    {
        "key": "offers",
        "label": "Total offers",
        "help": "Job offers made in the year; each one is a data point.",
    },
    {
        "key": "median",
        "label": "Median salary expectation",
        "help": "Half of the offers came at a lower monthly salary expectation, half at a "
        "higher one. US dollars per month.",
    },
    {
        "key": "candidates",
        "label": "Candidates",
        "help": "Distinct candidates who received those offers, each counted once; a "
        "candidate with several offers counts once here and once per offer in the figures.",
    },
)


def stat_cards(stat) -> list[dict]:
    """The cards of a slice: each with its value as it reads, the unit of a money figure,
    offers per candidate beside the candidates, and the reason beside a withheld median."""
    cards = []
    for card in STAT_CARDS:
        note = unit = detail = ""
        if card["key"] == "median":
            value = money(stat.median) if stat.published else "Not enough data to publish"
            note = "" if stat.published else stat.withheld_reason
            unit = "per month" if stat.published else ""
        else:
            value = f"{getattr(stat, card['key']):,}"
        if card["key"] == "candidates":
            detail = f"{per_candidate(stat.offers, stat.candidates)} offers per candidate"
        cards.append({**card, "value": value, "note": note, "unit": unit, "detail": detail})
    return cards
