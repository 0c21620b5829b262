"""The two charts of a comparison page, drawn like ``salaries.charts`` (server-side SVG,
horizontal geometry in percent, a title, a description and a legend in the chart itself):
the histograms of two or three technologies overlaid as shares of their own offers, and
their medians year by year as lines. Each side keeps one colour and one dash pattern
through both charts, so they are told apart without colour too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from salaries.charts import MAX_BANDS, _svg_open, _title_desc
from salaries.formatting import money
from salaries.stats import BAND_WIDTH, band_label

TAIL_SHARE = 0.02
LABEL_WIDTH = 18.0  # percent
BAR_AREA = 66.0  # percent
BAR_HEIGHT = 9
LEGEND_ROW = 22


@dataclass
class Side:
    """One technology of a comparison: its name and published histogram (or None)."""

    name: str
    histogram: Sequence[dict] | None
    medians: dict[int, int | None]  # year -> median, None where withheld


def _legend(sides: Sequence[Side]) -> list[str]:
    parts = []
    for index, side in enumerate(sides):
        y = 14 + index * LEGEND_ROW
        parts.append(
            f'<g class="compare-{index}"><line class="compare__swatch" x1="0" x2="28" '
            f'y1="{y - 4}" y2="{y - 4}"/><text x="36" y="{y}">{escape(side.name)}</text></g>'
        )
    return parts


def _share(offers: int, total: int) -> float:
    return 100 * offers / total if total else 0.0


def overlaid_histogram(sides: Sequence[Side], *, title: str) -> SafeString | None:
    """Each band as one row, one thin bar per side showing the share of that side's offers
    in the band; the thin top tail (past 98% of every side's offers) is folded into one
    "and more" row. None when no side publishes a histogram."""
    shown = [side for side in sides if side.histogram]
    if not shown:
        return None
    low = min(side.histogram[0]["from"] for side in shown)
    high = max(side.histogram[-1]["to"] for side in shown)
    counts = [{band["from"]: band["offers"] for band in side.histogram} for side in shown]
    totals = [sum(count.values()) for count in counts]
    starts = list(range(low, high, BAND_WIDTH))
    keep = len(starts)
    reached = [0] * len(shown)
    for position, start in enumerate(starts):
        for index, count in enumerate(counts):
            reached[index] += count.get(start, 0)
        if all(reached[i] >= totals[i] * (1 - TAIL_SHARE) for i in range(len(shown))):
            keep = position + 1
            break
    keep = min(keep, MAX_BANDS - 1)
    rows = []  # (label, [share per side])
    for start in starts[:keep]:
        rows.append(
            (
                band_label(start),
                [_share(c.get(start, 0), t) for c, t in zip(counts, totals, strict=True)],
            )
        )
    if keep < len(starts):
        rest = starts[keep:]
        rows.append(
            (
                f"{band_label(rest[0])} and more",
                [
                    _share(sum(c.get(s, 0) for s in rest), t)
                    for c, t in zip(counts, totals, strict=True)
                ],
            )
        )
    peak = max(max(shares) for _, shares in rows) or 1
    top = 14 + LEGEND_ROW * len(shown) + 4
    row_height = BAR_HEIGHT * len(shown) + 8
    height = top + row_height * len(rows) + 4
    parts = [
        _svg_open("chart chart--compare", height, "compare-histogram"),
        _title_desc(
            "compare-histogram",
            title,
            "; ".join(
                f"{side.name}: most offers in the "
                f"{max(side.histogram, key=lambda band: band['offers'])['label']} band"
                for side in shown
            )
            + ". Every band's share is in the table below.",
        ),
        *_legend(shown),
        f'<text class="chart__heading" x="{LABEL_WIDTH}%" y="{top - 6}" text-anchor="end">'
        "Band per month</text>",
        f'<text class="chart__heading" x="{LABEL_WIDTH + 1.5}%" y="{top - 6}">'
        "Share of each technology's offers →</text>",
    ]
    for row_index, (label, shares) in enumerate(rows):
        y = top + row_index * row_height
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH}%" y="{y + row_height // 2 + 4}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for index, share in enumerate(shares):
            width = round(BAR_AREA * share / peak, 2)
            bar_y = y + 2 + index * BAR_HEIGHT
            parts.append(
                f'<g class="compare-{index}"><title>{escape(shown[index].name)}, {escape(label)}: '
                f"{share:.1f}% of its offers</title>"
                f'<rect class="compare__bar" x="{LABEL_WIDTH + 1.5}%" y="{bar_y}" '
                f'width="{width}%" height="{BAR_HEIGHT - 1}"/></g>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def trend_lines(sides: Sequence[Side], *, title: str) -> SafeString | None:
    """The median per year of each side as a line (a withheld year breaks it), years on
    the horizontal axis; None when no side has a published median."""
    years = sorted({year for side in sides for year in side.medians})
    medians = [m for side in sides for m in side.medians.values() if m is not None]
    if not medians or not years:
        return None
    low, high = min(medians), max(medians)
    pad = max((high - low) * 0.15, high * 0.05, 1)
    low, high = low - pad, high + pad
    top = 14 + LEGEND_ROW * len(sides) + 12
    bottom = top + 140
    height = bottom + 36

    def x(year: int) -> float:
        return 50.0 if len(years) == 1 else round(10 + 80 * years.index(year) / (len(years) - 1), 2)

    def y(value: int) -> int:
        return round(bottom - (bottom - top) * (value - low) / (high - low))

    description = "; ".join(
        f"{side.name}: "
        + ", ".join(
            f"{year} {money(value) if value is not None else 'not published'}"
            for year, value in sorted(side.medians.items())
        )
        for side in sides
    )
    parts = [
        _svg_open("chart chart--compare-trend", height, "compare-trend"),
        _title_desc("compare-trend", title, description + "."),
        *_legend(sides),
        f'<text class="chart__heading" x="0" y="{top - 8}">Median per month →</text>',
        f'<line class="chart__axis" x1="2%" x2="98%" y1="{bottom + 10}" y2="{bottom + 10}"/>',
    ]
    for year in years:
        parts.append(
            f'<text class="chart__label" x="{x(year)}%" y="{bottom + 28}" '
            f'text-anchor="middle">{year}</text>'
        )
    for index, side in enumerate(sides):
        points = [(year, side.medians.get(year)) for year in years]
        parts.append(f'<g class="compare-{index}">')
        for (year_a, a), (year_b, b) in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                parts.append(
                    f'<line class="compare__line" x1="{x(year_a)}%" y1="{y(a)}" '
                    f'x2="{x(year_b)}%" y2="{y(b)}"/>'
                )
        for year, value in points:
            if value is not None:
                parts.append(
                    f'<circle class="compare__point" cx="{x(year)}%" cy="{y(value)}" r="4.5">'
                    f"<title>{escape(side.name)} {year}: {money(value)}</title></circle>"
                )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
