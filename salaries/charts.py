"""Server-rendered SVG charts: geometry from published figures, then the markup.

Pure functions and small dataclasses; no database. The charts size their horizontal
geometry in percentages and their vertical geometry in pixels, without a ``viewBox``: the
SVG stretches to the width of its container while the text keeps its real size, so labels
stay readable on a 375 px phone as on a desktop. Each chart carries a ``<title>`` and
``<desc>``; pages add a data table as the full text alternative.

The markup is built here rather than in a template: a histogram has a few hundred numbers,
and rendering them through the template engine's localisation cost more than the rest of
the page together (measured with cProfile on an uncached salary page).

One module, though long: every chart shares the same axis, label and text-alternative
helpers, and splitting them would scatter one drawing convention over several files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from salaries.formatting import money

# The page shows the bands that hold the bulk of the offers and folds the thin top tail
# into one "… and more" band; the API and the CSV download keep every band.
TAIL_SHARE = 0.02
MAX_BANDS = 28


@dataclass
class Bar:
    label: str
    value: int
    display: str
    width: float  # percent of the bar area
    y: int = 0
    href: str = ""
    highlight: bool = False
    description: str = ""
    withheld: bool = False  # no figure to draw: the value text says why, no bar

    @property
    def text_y(self) -> int:
        return self.y + 13


@dataclass
class Marker:
    y: int
    label: str
    kind: str = "median"  # "median", or "you": the salary a visitor asked about


@dataclass
class BarChart:
    """Horizontal bars, one row per item, the largest value filling the bar area."""

    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    label_width: float = 14.0  # percent, the label column (right-aligned text)
    bar_area: float = 68.0  # percent
    row_height: int = 24
    top: int = 30
    marker: Marker | None = None
    you: Marker | None = None
    note: str = ""  # a second heading line over the bars, e.g. where they start

    @property
    def height(self) -> int:
        return self.top + self.row_height * len(self.bars) + 8

    @property
    def bar_x(self) -> float:
        return self.label_width + 1.5

    @property
    def bar_end(self) -> float:
        return self.bar_x + self.bar_area

    @property
    def label_x(self) -> float:
        return self.label_width

    def value_x(self, bar: Bar) -> float:
        return round(self.bar_x + bar.width + 1, 2)

    def render(self, id: str) -> SafeString:
        """The chart as inline SVG; ``id`` prefixes the ids its title and description use."""
        parts = [
            _svg_open(
                "chart chart--bars", self.height, id, links=any(bar.href for bar in self.bars)
            ),
            _title_desc(id, self.title, self.description),
            f'<text class="chart__heading" x="{self.label_x}%" y="16" text-anchor="end">'
            f"{escape(self.label_heading)}</text>",
            f'<text class="chart__heading" x="{self.bar_x}%" y="16">'
            f"{escape(self.value_heading)} →</text>",
        ]
        if self.note:
            parts.append(
                f'<text class="chart__heading" x="{self.bar_x}%" y="34">{escape(self.note)}</text>'
            )
        bar_height = self.row_height - 6
        for bar in self.bars:
            label = (
                f'<text class="chart__label" x="{self.label_x}%" y="{bar.text_y}" '
                f'text-anchor="end">{escape(bar.label)}</text>'
            )
            if bar.href:
                # The whole label cell, a full row high, is the link's target (at least
                # 24 px for a finger), not just the text.
                hit = (
                    f'<rect class="chart-hit" x="0" y="{bar.y}" width="{self.label_x + 1}%" '
                    f'height="{max(self.row_height, 24)}"/>'
                )
                label = f'<a href="{escape(bar.href)}">{hit}{label}</a>'
            if bar.withheld:
                drawn = (
                    f'<text class="chart__value chart__value--muted" x="{self.bar_x}%" '
                    f'y="{bar.text_y}">{escape(bar.display)}</text>'
                )
            else:
                drawn = (
                    f'<rect class="chart__bar" x="{self.bar_x}%" y="{bar.y + 3}" '
                    f'width="{bar.width}%" height="{bar_height}" rx="3"/>'
                    f'<text class="chart__value" x="{self.value_x(bar)}%" y="{bar.text_y}">'
                    f"{escape(bar.display)}</text>"
                )
            row_class = "chart__row" + (" chart__row--highlight" if bar.highlight else "")
            parts.append(
                f'<g class="{row_class}">'
                + (f"<title>{escape(bar.description)}</title>" if bar.description else "")
                + label
                + drawn
                + "</g>"
            )
        for marker, legend_y in ((self.marker, 16), (self.you, 34)):
            if marker:
                # A light halo under the line keeps it visible across a dark bar.
                parts.append(
                    f'<g class="chart__marker chart__marker--{marker.kind}" aria-hidden="true">'
                    f'<line class="chart__halo" x1="{self.bar_x}%" x2="{self.bar_end}%" '
                    f'y1="{marker.y}" y2="{marker.y}"/>'
                    f'<line x1="{self.bar_x}%" x2="{self.bar_end}%" y1="{marker.y}" '
                    f'y2="{marker.y}"/><text class="chart__legend" x="100%" y="{legend_y}" '
                    f'text-anchor="end">{"- -" if marker.kind == "median" else "——"} '
                    f"{escape(marker.label)}</text></g>"
                )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def _svg_open(css_class: str, height: int, id: str, *, links: bool = False) -> str:
    """The chart's opening tag: an image to assistive technology, or, when it holds links
    (an image's content is presentational, so its links would be lost), a figure."""
    role = "figure" if links else "img"
    return (
        f'<svg class="{css_class}" width="100%" height="{height}" role="{role}" '
        f'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
    )


def _title_desc(id: str, title: str, description: str) -> str:
    return (
        f'<title id="{id}-title">{escape(title)}</title>'
        f'<desc id="{id}-desc">{escape(description)}</desc>'
    )


def _layout(bars: list[Bar], *, top: int, row_height: int, bar_area: float) -> None:
    peak = max((bar.value for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        bar.y = top + index * row_height
        bar.width = round(bar_area * bar.value / peak, 2)


def fold_histogram(
    histogram: Sequence[dict], *, tail_share: float = TAIL_SHARE, max_bands: int = MAX_BANDS
) -> list[dict]:
    """The bands a page shows: every band up to the one where the offers reach
    ``1 - tail_share`` of the total (and at most ``max_bands``), then one band that folds
    the rest, labelled "Nk+ and more" and running to the top of the last band."""
    bands = list(histogram)
    if not bands:
        return []
    total = sum(band["offers"] for band in bands)
    running = 0
    keep = len(bands)
    for index, band in enumerate(bands):
        running += band["offers"]
        if running >= total * (1 - tail_share):
            keep = index + 1
            break
    keep = min(keep, max_bands - 1)
    if len(bands) - keep < 2:  # folding one band into itself explains nothing
        return bands if len(bands) <= max_bands else _fold(bands, max_bands - 1)
    return _fold(bands, keep)


def _fold(bands: list[dict], keep: int) -> list[dict]:
    rest = bands[keep:]
    folded = {
        "from": rest[0]["from"],
        "to": rest[-1]["to"],
        "label": f"{rest[0]['label']} and more",
        "offers": sum(band["offers"] for band in rest),
        "folded": True,
    }
    return [*bands[:keep], folded]


def histogram_chart(
    histogram: Sequence[dict], *, median: int | None, subject: str, salary: int | None = None
) -> BarChart:
    """Offers per $500 band, top band last, the median marked across its band (and
    ``salary``, a visitor's own figure, across its band, in a second legend)."""
    shown = fold_histogram(histogram)
    bars = []
    for band in shown:
        if band.get("folded"):
            span = f"{money(band['from'])} and more"
        else:
            span = f"{money(band['from'])}–{money(band['to'] - 1)}"
        offers = band["offers"]
        bars.append(
            Bar(
                label=band["label"],
                value=offers,
                display=f"{offers:,}",
                width=0,
                highlight=median is not None and band["from"] <= median < band["to"],
                description=f"{span}: {offers:,} offer{'s' if offers != 1 else ''}",
            )
        )
    chart = BarChart(
        title=f"Offers per $500 band of monthly salary expectation: {subject}",
        description=_histogram_description(shown, median),
        label_heading="$ a month",
        value_heading="Offers",
        bars=bars,
        label_width=26.0,
        bar_area=58.0,
        top=48 if salary is not None else 30,
    )
    _layout(bars, top=chart.top, row_height=chart.row_height, bar_area=chart.bar_area)
    if median is not None:
        # A dashed line across the band at the median's place within it, named in a
        # legend on the heading row so no label collides with the bars.
        y = _place(median, bars, shown, chart.row_height)
        if y is not None:
            chart.marker = Marker(y=y, label=f"median {money(median)}")
    if salary is not None and bars:
        y = _place(salary, bars, shown, chart.row_height)
        if y is None:  # outside the bands: at the edge it lies beyond
            y = bars[0].y if salary < shown[0]["from"] else bars[-1].y + chart.row_height
        chart.you = Marker(y=y, label=f"you {money(salary)}", kind="you")
    return chart


def _place(value: int, bars: list[Bar], bands: Sequence[dict], row_height: int) -> int | None:
    """The height of ``value`` within the bar of its band, or None outside every band."""
    for bar, band in zip(bars, bands, strict=True):
        if band["from"] <= value < band["to"]:
            fraction = (value - band["from"]) / (band["to"] - band["from"])
            return bar.y + round(fraction * row_height)
    return None


def _histogram_description(bands: Sequence[dict], median: int | None) -> str:
    if not bands:
        return "No offers."
    busiest = max(bands, key=lambda band: band["offers"])
    parts = [
        f"{len(bands)} bands from {money(bands[0]['from'])} up",
        f"the most offers ({busiest['offers']:,}) in the {busiest['label']} band",
    ]
    if median is not None:
        parts.append(f"median {money(median)}")
    return "; ".join(parts) + "."


def ranking_chart(
    items: Sequence[tuple[str, int, str, str]],
    *,
    title: str,
    description: str,
    value_heading: str,
    baseline: int = 0,
    label_heading: str = "Technology",
) -> BarChart:
    """Bars for ``(label, value, display, href)`` items, in the order given; the bars
    measure ``value - baseline`` (a second heading line says where they start when it is
    not 0: one line would not fit the width of a phone)."""
    bars = [
        Bar(label=label, value=max(value - baseline, 0), display=display, width=0, href=href)
        for label, value, display, href in items
    ]
    chart = BarChart(
        title=title,
        description=description,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=bars,
        label_width=34.0,
        bar_area=46.0,
        top=48 if baseline else 30,
        note=f"bars from {money(baseline)}" if baseline else "",
    )
    _layout(bars, top=chart.top, row_height=chart.row_height, bar_area=chart.bar_area)
    return chart


def offers_ranking_chart(stats: Sequence, *, title: str) -> BarChart:
    """Technologies by offers: one bar per slice (``SalaryStat``), in the order given,
    each linking to its salary page."""
    return ranking_chart(
        [
            (stat.technology.name, stat.offers, f"{stat.offers:,}", stat.get_absolute_url())
            for stat in stats
        ],
        title=title,
        description=", ".join(f"{stat.technology.name} {stat.offers:,}" for stat in stats),
        value_heading="Offers",
    )


def median_ranking_chart(
    stats: Sequence, *, title: str, href: Callable[[Any], str] | None = None
) -> BarChart:
    """Technologies by median: one bar per published slice, in the order given, each
    linking to ``href(stat)`` (its salary page by default). Slices from different years
    (a comparison of each one's newest figures) name their year."""
    href = href or (lambda stat: stat.get_absolute_url())
    several_years = len({stat.year for stat in stats}) > 1

    def described(stat) -> str:
        text = f"{stat.technology.name} {money(stat.median)}"
        return f"{text} ({stat.year})" if several_years else text

    # Medians of one market sit close together: bars drawn from $0 would all look the
    # same length. They start at a round figure below the lowest median instead (the
    # heading says which), and the highest one is highlighted.
    medians = [stat.median for stat in stats]
    baseline = _median_baseline(medians)
    chart = ranking_chart(
        [(stat.technology.name, stat.median, money(stat.median), href(stat)) for stat in stats],
        title=title,
        description=", ".join(described(stat) for stat in stats),
        value_heading="Median per month",
        baseline=baseline,
    )
    top = max(medians, default=None)
    for bar, median in zip(chart.bars, medians, strict=True):
        bar.highlight = median == top
    return chart


def _median_baseline(medians: Sequence[int]) -> int:
    """Where bars of medians start: medians of one market sit close together, and bars
    drawn from $0 would all look the same length, so they start at a round figure below
    the lowest one (0 for a single median)."""
    if len(medians) < 2:
        return 0
    spread = max(medians) - min(medians)
    return max(0, (min(medians) - max(spread, min(medians) // 10)) // 1000 * 1000)


@dataclass(frozen=True)
class BreakdownRow:
    """One entry of a breakdown as a chart draws it: ``median`` is None when the
    disclosure rules withhold it, and ``reason`` then says why in words."""

    label: str
    median: int | None
    href: str = ""
    reason: str = ""


WITHHELD_TEXT = "not enough data to publish"


def breakdown_chart(rows: Sequence[BreakdownRow], *, title: str, label_heading: str) -> BarChart:
    """The median of each breakdown entry (English level, remote or office, a country),
    in the order given, each row linking to the page narrowed to it. A withheld median is
    written out as withheld, never drawn as a bar of zero; the highest one is
    highlighted."""
    medians = [row.median for row in rows if row.median is not None]
    baseline = _median_baseline(medians)

    def described(row: BreakdownRow) -> str:
        if row.median is None:
            return f"{row.label} {WITHHELD_TEXT}" + (f" ({row.reason})" if row.reason else "")
        return f"{row.label} {money(row.median)}"

    chart = ranking_chart(
        [
            (
                row.label,
                baseline if row.median is None else row.median,
                WITHHELD_TEXT if row.median is None else money(row.median),
                row.href,
            )
            for row in rows
        ],
        title=title,
        description=", ".join(described(row) for row in rows) + ".",
        value_heading="Median per month",
        baseline=baseline,
        label_heading=label_heading,
    )
    top = max(medians, default=None)
    for bar, row in zip(chart.bars, rows, strict=True):
        bar.description = described(row)
        if row.median is None:
            bar.withheld = True
            bar.width = 0
        else:
            bar.highlight = row.median == top
    return chart


def slice_histogram_chart(stat, *, salary: int | None = None) -> BarChart:
    """The histogram of a published slice (``SalaryStat``), its median marked (and the
    salary a visitor asked about, when given)."""
    return histogram_chart(
        stat.histogram, median=stat.median, subject=f"{stat.subject}, {stat.year}", salary=salary
    )


@dataclass
class TrendPoint:
    year: int
    median: int | None
    offers: int
    href: str = ""
    current: bool = False
    x: float = 0.0  # percent
    y: int = 0  # px, only when median is set


@dataclass
class TrendChart:
    title: str
    description: str
    points: list[TrendPoint]
    height: int = 200
    plot_top: int = 34
    plot_bottom: int = 160
    segments: list[tuple[TrendPoint, TrendPoint]] = field(default_factory=list)

    @property
    def axis_y(self) -> int:
        return self.plot_bottom + 14

    @property
    def year_y(self) -> int:
        return self.plot_bottom + 32

    def render(self, id: str) -> SafeString:
        parts = [
            _svg_open(
                "chart chart--trend", self.height, id, links=any(p.href for p in self.points)
            ),
            _title_desc(id, self.title, self.description),
            f'<line class="chart__axis" x1="2%" x2="98%" y1="{self.axis_y}" y2="{self.axis_y}"/>',
            '<text class="chart__heading" x="0" y="14">Median per month →</text>',
        ]
        for a, b in self.segments:
            parts.append(
                f'<line class="chart__line" x1="{a.x}%" y1="{a.y}" x2="{b.x}%" y2="{b.y}"/>'
            )
        for point in self.points:
            current = " chart__point--current" if point.current else ""
            parts.append(f'<g class="chart__point{current}">')
            if point.median is not None:
                radius = 6 if point.current else 4.5
                parts.append(
                    f'<circle cx="{point.x}%" cy="{point.y}" r="{radius}"/>'
                    f'<text class="chart__value" x="{point.x}%" y="{point.y - 12}" '
                    f'text-anchor="middle">{money(point.median)}</text>'
                )
            else:
                parts.append(
                    f'<text class="chart__value chart__value--muted" x="{point.x}%" '
                    f'y="{self.axis_y - 8}" text-anchor="middle">n/a</text>'
                )
            year = (
                f'<text class="chart__label" x="{point.x}%" y="{self.year_y}" '
                f'text-anchor="middle">{point.year}</text>'
            )
            if point.href:
                # A 48 × 28 px target around the year, not just its glyphs.
                hit = (
                    f'<rect class="chart-hit" x="{point.x}%" y="{self.year_y - 19}" width="48" '
                    f'height="28" transform="translate(-24 0)"/>'
                )
                year = f'<a href="{escape(point.href)}">{hit}{year}</a>'
            parts.append(f"{year}</g>")
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def trend_chart(points: Sequence[TrendPoint], *, subject: str) -> TrendChart:
    """The median per year as a line with labelled points; years without a median (under
    the threshold) keep their place on the axis and break the line."""
    points = list(points)
    chart = TrendChart(
        title=f"Median monthly salary expectation by year: {subject}",
        description=_trend_description(points),
        points=points,
    )
    count = len(points)
    for index, point in enumerate(points):
        point.x = 50.0 if count == 1 else round(8 + 84 * index / (count - 1), 2)
    medians = [point.median for point in points if point.median is not None]
    if medians:
        low, high = min(medians), max(medians)
        pad = max((high - low) * 0.15, high * 0.05, 1)
        low, high = low - pad, high + pad
        span = chart.plot_bottom - chart.plot_top
        for point in points:
            if point.median is not None:
                point.y = round(chart.plot_bottom - span * (point.median - low) / (high - low))
    chart.segments = [
        (a, b)
        for a, b in zip(points, points[1:], strict=False)
        if a.median is not None and b.median is not None
    ]
    return chart


def _trend_description(points: Sequence[TrendPoint]) -> str:
    shown = [
        f"{p.year}: {money(p.median) if p.median else 'not enough data to publish'}" for p in points
    ]
    return "Median by year — " + ", ".join(shown) + "."


@dataclass
class PercentileStrip:
    """p10–p90 whisker, p25–p75 box, median and mean ticks, on the slice's salary range.
    Without the tails (withheld), the strip has no whiskers."""

    ticks: dict[str, float]  # percent positions
    low: int
    high: int
    description: str
    axis: list[tuple[float, str]] = field(default_factory=list)  # (percent, label)

    @property
    def box_width(self) -> float:
        return round(self.ticks["p75"] - self.ticks["p25"], 2)

    def render(self, id: str) -> SafeString:
        t = self.ticks
        whiskers = (
            f'<line class="strip__whisker" x1="{t["p10"]}%" x2="{t["p90"]}%" y1="22" y2="22"/>'
            f'<line class="strip__whisker" x1="{t["p10"]}%" x2="{t["p10"]}%" y1="14" y2="30"/>'
            f'<line class="strip__whisker" x1="{t["p90"]}%" x2="{t["p90"]}%" y1="14" y2="30"/>'
            if "p10" in t
            else ""
        )
        axis = "".join(
            f'<line class="chart__tick" x1="{x}%" x2="{x}%" y1="44" y2="50"/>'
            f'<text class="chart__label" x="{x}%" y="64" text-anchor="middle">{label}</text>'
            for x, label in self.axis
        )
        return mark_safe(  # noqa: S308  (the only text is escaped)
            _svg_open("chart chart--strip", 72, id)
            + _title_desc(id, "Spread of monthly salary expectations", self.description)
            + '<line class="chart__axis" x1="2%" x2="98%" y1="44" y2="44"/>'
            + axis
            + whiskers
            + f'<rect class="strip__box" x="{t["p25"]}%" y="8" width="{self.box_width}%" '
            f'height="28" rx="4"/>'
            f'<line class="strip__median" x1="{t["median"]}%" x2="{t["median"]}%" y1="4" y2="40"/>'
            f'<circle class="strip__mean" cx="{t["mean"]}%" cy="22" r="4"/></svg>'
        )


def percentile_strip(
    *,
    p10: int | None,
    p25: int,
    median: int,
    p75: int,
    p90: int | None,
    mean: int,
    low: int,
    high: int,
) -> PercentileStrip:
    """The strip of a published slice; ``p10`` and ``p90`` are None when withheld."""
    span = max(high - low, 1)

    def at(value: int) -> float:
        return round(2 + 96 * (value - low) / span, 2)

    tails = p10 is not None and p90 is not None
    step = next((step for step in AXIS_STEPS if span / step <= 6), AXIS_STEPS[-1])
    first = -(-low // step) * step
    axis = [(at(value), _thousands(value)) for value in range(first, high + 1, step)]
    ticks = {"p25": at(p25), "median": at(median), "p75": at(p75), "mean": at(mean)}
    if tails:
        ticks.update(p10=at(p10), p90=at(p90))
    middle = (
        f"a quarter at or below {money(p25)}, half at or below {money(median)}, three "
        f"quarters at or below {money(p75)}"
    )
    description = (
        f"10% of offers are at or below {money(p10)}, {middle} and 90% at or below "
        f"{money(p90)}; the mean is {money(mean)}."
        if tails
        else f"Of the offers, {middle}; the mean is {money(mean)}. The 10th and 90th "
        "percentiles are not published for this slice."
    )
    return PercentileStrip(ticks=ticks, low=low, high=high, description=description, axis=axis)


AXIS_STEPS = (500, 1000, 2000, 5000, 10_000, 20_000, 50_000)


def _thousands(value: int) -> str:
    """An axis label: 4000 -> "$4k", 4500 -> "$4.5k"."""
    return f"${value / 1000:g}k"
