"""How figures read on the site, in one place: templates use these as filters
(``salary_tags``), Python code (charts, page descriptions) calls them directly."""


def money(value: int | float | None) -> str:
    """``7707`` -> ``"$7,707"``; ``None`` -> ``"—"``."""
    if value is None:
        return "—"
    return f"${value:,.0f}"


# The headline figures of a slice, as every card shows them: the salary page, the live
# salary block and an article's topic header. ``help`` says in one line what the figure
# means (under the figure and on focus, where there is room for it).
STAT_CARDS = (
    {
        "key": "offers",
        "label": "Total offers",
        "help": "Job offers made in the year; each one is a data point.",
    },
    {
        "key": "median",
        "label": "Median salary expectation",
        "help": "Half of the offers came at a lower salary expectation, half at a higher one.",
    },
    {
        "key": "candidates",
        "label": "Proposals",
        "help": "Distinct candidates who received those offers.",
    },
)


def stat_cards(stat) -> list[dict]:
    """The cards of a slice: each with its value as it reads, and the reason beside a
    withheld median."""
    cards = []
    for card in STAT_CARDS:
        note = ""
        if card["key"] == "median":
            value = money(stat.median) if stat.published else "Not enough data to publish"
            note = "" if stat.published else stat.withheld_reason
        else:
            value = f"{getattr(stat, card['key']):,}"
        cards.append({**card, "value": value, "note": note})
    return cards
