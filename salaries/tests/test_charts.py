"""Chart geometry: folding the histogram's tail, the median marker, the trend line."""

import re
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from salaries.charts import (
    MAX_BANDS,
    BreakdownRow,
    TrendPoint,
    breakdown_chart,
    fold_histogram,
    histogram_chart,
    median_ranking_chart,
    offers_ranking_chart,
    percentile_strip,
    ranking_chart,
    slice_histogram_chart,
    trend_chart,
)
from salaries.formatting import money
from salaries.stats import band_label


def bands_from(start: int, counts: list[int]) -> list[dict]:
    return [
        {
            "from": start + 500 * i,
            "to": start + 500 * (i + 1),
            "label": band_label(start + 500 * i),
            "offers": n,
        }
        for i, n in enumerate(counts)
    ]


histograms = st.builds(
    bands_from,
    st.integers(0, 40).map(lambda n: n * 500),
    st.lists(st.integers(0, 400), min_size=1, max_size=120).filter(lambda c: c[0] and c[-1]),
)


@given(histograms)
def test_folding_keeps_every_offer_and_the_bands_contiguous(histogram):
    shown = fold_histogram(histogram)
    assert sum(b["offers"] for b in shown) == sum(b["offers"] for b in histogram)
    assert len(shown) <= max(MAX_BANDS, 1)
    assert shown[0]["from"] == histogram[0]["from"]
    assert shown[-1]["to"] == histogram[-1]["to"]
    for before, after in zip(shown, shown[1:], strict=False):
        assert before["to"] == after["from"]
    assert shown[:-1] == histogram[: len(shown) - 1], "only the tail is folded"


@given(histograms)
def test_a_folded_band_says_and_more_and_holds_a_thin_tail(histogram):
    shown = fold_histogram(histogram)
    if shown[-1].get("folded"):
        assert shown[-1]["label"] == f"{band_label(shown[-1]['from'])} and more"
        total = sum(b["offers"] for b in histogram)
        if len(histogram) <= MAX_BANDS:
            assert shown[-1]["offers"] <= total * 0.02 + 400  # a thin tail, at most one band more
    else:
        assert shown == histogram


def test_a_short_histogram_is_not_folded():
    histogram = bands_from(5000, [3, 10, 4])
    assert fold_histogram(histogram) == histogram


def test_a_long_thin_tail_folds_into_one_band():
    histogram = bands_from(3000, [50, 80, 100, 60, 30] + [1, 0, 0, 1, 2, 1])  # 5 of 325 past 5k+
    shown = fold_histogram(histogram)
    assert [b["label"] for b in shown] == ["3k+", "3.5k+", "4k+", "4.5k+", "5k+", "5.5k+ and more"]
    assert shown[-1]["offers"] == 5 and shown[-1]["to"] == histogram[-1]["to"]


def test_histogram_chart_marks_the_median_inside_its_band():
    histogram = bands_from(5000, [10, 20, 10])
    chart = histogram_chart(histogram, median=5750, subject="Flask")
    assert [bar.highlight for bar in chart.bars] == [False, True, False]
    band = chart.bars[1]
    assert chart.marker.y == band.y + chart.row_height // 2  # half-way through 5500–5999
    assert chart.marker.label == "median $5,750"
    assert [bar.width for bar in chart.bars] == [
        chart.bar_area / 2,
        chart.bar_area,
        chart.bar_area / 2,
    ]
    assert chart.height == chart.top + 3 * chart.row_height + 8
    assert "the most offers (20) in the 5.5k+ band" in chart.description


def test_ranking_chart_keeps_the_given_order():
    chart = ranking_chart(
        [("Flask", 10, "10", "/f/"), ("Django", 40, "40", "/d/")],
        title="t",
        description="d",
        value_heading="Offers",
    )
    assert [(bar.label, bar.href) for bar in chart.bars] == [("Flask", "/f/"), ("Django", "/d/")]
    assert chart.bars[1].width == chart.bar_area


def test_trend_breaks_the_line_at_years_without_a_median():
    points = [
        TrendPoint(year=2021, median=4000, offers=10),
        TrendPoint(year=2022, median=None, offers=2),
        TrendPoint(year=2023, median=5000, offers=10),
        TrendPoint(year=2024, median=6000, offers=10),
    ]
    chart = trend_chart(points, subject="Flask")
    assert [(a.year, b.year) for a, b in chart.segments] == [(2023, 2024)]
    assert [p.x for p in chart.points] == [8.0, 36.0, 64.0, 92.0]
    assert chart.points[3].y < chart.points[2].y < chart.points[0].y, "higher median, higher up"
    assert "2022: not enough data" in chart.description


def test_percentile_strip_orders_its_ticks():
    strip = percentile_strip(
        p10=3000, p25=4000, median=5000, p75=6500, p90=8000, mean=5200, low=2000, high=10000
    )
    ticks = strip.ticks
    assert ticks["p10"] < ticks["p25"] < ticks["median"] < ticks["p75"] < ticks["p90"]
    assert strip.box_width == round(ticks["p75"] - ticks["p25"], 2)
    assert "$5,000" in strip.description


def test_money():
    assert money(7707) == "$7,707"
    assert money(None) == "—"


def slice_like(name: str, *, offers: int, median: int | None, year: int = 2024):
    """What the chart builders read of a ``SalaryStat``."""
    return SimpleNamespace(
        technology=SimpleNamespace(name=name),
        offers=offers,
        median=median,
        year=year,
        get_absolute_url=lambda: f"/salaries/back-end/{name.lower()}/{year}/",
    )


def test_ranking_charts_of_slices_label_link_and_describe_each_bar():
    stats = [
        slice_like("Flask", offers=1200, median=7707),
        slice_like("Django", offers=40, median=6100),
    ]
    offers = offers_ranking_chart(stats, title="Most offers")
    assert [(bar.label, bar.display, bar.href) for bar in offers.bars] == [
        ("Flask", "1,200", "/salaries/back-end/flask/2024/"),
        ("Django", "40", "/salaries/back-end/django/2024/"),
    ]
    assert offers.description == "Flask 1,200, Django 40"
    medians = median_ranking_chart(stats, title="Highest median")
    assert [bar.display for bar in medians.bars] == ["$7,707", "$6,100"]
    assert medians.description == "Flask $7,707, Django $6,100"


def test_a_median_ranking_across_years_names_each_year():
    stats = [
        slice_like("Flask", offers=9, median=7707),
        slice_like("Elm", offers=9, median=5000, year=2023),
    ]
    assert median_ranking_chart(stats, title="t").description == (
        "Flask $7,707 (2024), Elm $5,000 (2023)"
    )


def test_the_histogram_of_a_slice_marks_its_median_and_names_it():
    stat = SimpleNamespace(
        histogram=bands_from(5000, [4, 10, 3]), median=5600, subject="Flask Developer", year=2024
    )
    chart = slice_histogram_chart(stat)
    assert (
        chart.title == "Offers per $500 band of monthly salary expectation: Flask Developer, 2024"
    )
    assert [bar.highlight for bar in chart.bars] == [False, True, False]
    assert chart.marker.label == "median $5,600"


def test_close_medians_get_bars_of_visibly_different_length_and_the_top_one_stands_out():
    stats = [
        slice_like("Flask", offers=90, median=7707),
        slice_like("Django", offers=80, median=7400),
        slice_like("FastAPI", offers=70, median=7100),
    ]
    chart = median_ranking_chart(stats, title="Highest median")
    widths = [bar.width for bar in chart.bars]
    # From $0 these would be 100%, 96% and 92% of the longest; from the baseline the
    # shortest is at most two thirds of the longest.
    assert widths[2] <= widths[0] * 2 / 3
    assert widths[0] > widths[1] > widths[2]
    assert [bar.highlight for bar in chart.bars] == [True, False, False]
    svg = chart.render("m")
    assert ">Median per month →</text>" in svg
    assert ">bars from $6,000</text>" in svg
    assert svg.count("chart__row--highlight") == 1


def test_histogram_marks_a_visitors_salary_in_its_band_and_names_it():
    histogram = bands_from(5000, [4, 10, 3])
    chart = histogram_chart(histogram, median=5600, subject="Flask", salary=5750)
    band = chart.bars[1]
    assert chart.you.y == band.y + chart.row_height // 2
    assert chart.you.label == "you $5,750"
    svg = chart.render("h")
    assert "chart__marker--you" in svg and "you $5,750" in svg
    assert "chart__marker--median" in svg and "median $5,600" in svg
    # Below and above the bands: at the edge it lies beyond.
    assert histogram_chart(histogram, median=5600, subject="F", salary=100).you.y == (
        chart.bars[0].y
    )
    high = histogram_chart(histogram, median=5600, subject="F", salary=90_000)
    assert high.you.y == high.bars[-1].y + high.row_height
    assert histogram_chart(histogram, median=5600, subject="F").you is None


def test_charts_say_their_figures_are_per_month():
    histogram = bands_from(5000, [4, 10, 3])
    svg = histogram_chart(histogram, median=5600, subject="F").render("h")
    assert ">$ a month</text>" in svg and "monthly salary expectation" in svg
    strip = percentile_strip(
        p10=4000, p25=5000, median=6000, p75=7000, p90=9000, mean=6100, low=3500, high=9500
    )
    assert "monthly" in strip.render("s")
    points = [TrendPoint(year=2023, median=5000, offers=9), TrendPoint(2024, 6000, 9)]
    assert "per month" in trend_chart(points, subject="F").render("t")


def test_the_box_plot_has_a_labelled_axis_across_its_range():
    strip = percentile_strip(
        p10=4000, p25=5000, median=6000, p75=7000, p90=9000, mean=6100, low=3500, high=9500
    )
    assert [label for _, label in strip.axis] == ["$4k", "$5k", "$6k", "$7k", "$8k", "$9k"]
    positions = [x for x, _ in strip.axis]
    assert positions == sorted(positions) and positions[0] >= 2 and positions[-1] <= 98
    assert strip.axis[2][0] == strip.ticks["median"]  # $6k sits where the median does
    svg = strip.render("s")
    assert all(f">{label}</text>" in svg for _, label in strip.axis)


def test_a_breakdown_chart_draws_published_medians_and_writes_withheld_ones_out():
    rows = [
        BreakdownRow(label="UA", median=5200, href="/x/?country=UA"),
        BreakdownRow(label="PL", median=6100, href="/x/?country=PL"),
        BreakdownRow(label="MT", median=None, href="/x/?country=MT", reason="fewer than 5 offers"),
    ]
    chart = breakdown_chart(rows, title="Median by country", label_heading="Country")
    svg = chart.render("by-country")
    drawn = re.findall(r'<g class="chart__row[^"]*">(.*?)</g>', svg)
    assert len(drawn) == 3
    assert [bar.display for bar in chart.bars] == ["$5,200", "$6,100", "not enough data to publish"]
    assert drawn[0].count('class="chart__bar"') == drawn[1].count('class="chart__bar"') == 1
    assert 'class="chart__bar"' not in drawn[2], "a withheld median is no bar, not even of zero"
    assert "$0" not in svg
    assert chart.bars[1].width > chart.bars[0].width > 0
    assert chart.bars[1].highlight and not chart.bars[0].highlight
    assert "MT not enough data to publish (fewer than 5 offers)" in svg
    assert '<title id="by-country-title">Median by country</title>' in svg
    assert 'href="/x/?country=MT"' in svg


def test_a_breakdown_chart_where_everything_is_withheld_draws_no_bar():
    chart = breakdown_chart(
        [BreakdownRow(label="Remote", median=None, reason="fewer than 5 candidates")],
        title="Median, remote or office",
        label_heading="Work format",
    )
    svg = chart.render("remote")
    assert 'class="chart__bar"' not in svg
    assert "not enough data to publish" in svg
