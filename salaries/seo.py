"""What search engines and link previews read about a salary page: the meta description
and schema.org structured data, from the published figures only."""

from __future__ import annotations

from salaries.formatting import money
from salaries.models import SalaryStat


def salary_json_ld(stat: SalaryStat, url: str) -> dict:
    """schema.org's salary distribution, with the published figures only (a withheld
    percentile is left out, never given as null or 0)."""
    percentiles = {
        "percentile10": stat.p10,
        "percentile25": stat.p25,
        "median": stat.median,
        "percentile75": stat.p75,
        "percentile90": stat.p90,
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": stat.subject,
        "url": url,
        "description": (
            f"Salary expectations of {stat.subject}s in {stat.year}, from {stat.offers} "
            f"job offers to {stat.candidates} candidates."
        ),
        "estimatedSalary": [
            {
                "@type": "MonetaryAmountDistribution",
                "name": "Monthly salary expectation, one data point per job offer",
                "description": f"Sample size: {stat.offers} offers, {stat.candidates} candidates.",
                "currency": "USD",
                "duration": "P1M",
                **{name: value for name, value in percentiles.items() if value is not None},
            }
        ],
        "sampleSize": stat.offers,
        "dateModified": stat.computed_at.isoformat(),
    }
    if stat.technology_id:
        data["skills"] = stat.technology.name
    return data


def meta_description(stat: SalaryStat) -> str:
    if stat.published:
        return (
            f"{stat.subject}s asked for a median of {money(stat.median)} a month in "
            f"{stat.year}, across {stat.offers:,} job offers to {stat.candidates:,} "
            f"candidates. Distribution, percentiles, trend and seniority breakdown."
        )
    return (
        f"{stat.offers:,} job offers to {stat.subject}s in {stat.year}: not enough data to "
        f"publish salary figures ({stat.withheld_reason})."
    )
