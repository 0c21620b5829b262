"""What search engines and link previews read about the salary pages: meta descriptions
and schema.org structured data, from the published figures only. Counts carry thousands
separators; the subject is never made plural by appending "s" ("Back-End Web Developer
with Flask" has no plural that way)."""

from __future__ import annotations

from django.http import HttpRequest

from portal.origin import absolute_url
from portal.structured_data import organization
from salaries.formatting import money
from salaries.models import SalaryStat

# Offers come from candidates anywhere; schema.org's occupationLocation takes an area.
WORLDWIDE = {"@type": "AdministrativeArea", "name": "Worldwide"}


def salary_json_ld(stat: SalaryStat, url: str) -> dict:
    """schema.org's Occupation with its salary distribution, with the published figures
    only (a withheld percentile is left out, never given as null or 0)."""
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
            f"{stat.subject}: monthly salary expectations in {stat.year}, from "
            f"{stat.offers:,} job offers to {stat.candidates:,} candidates."
        ),
        "occupationLocation": [WORLDWIDE],
        "estimatedSalary": [
            {
                "@type": "MonetaryAmountDistribution",
                "name": "Monthly salary expectation, one data point per job offer",
                "description": (
                    f"From {stat.offers:,} job offers to {stat.candidates:,} candidates in "
                    f"{stat.year}."
                ),
                "currency": "USD",
                "duration": "P1M",
                **{name: value for name, value in percentiles.items() if value is not None},
            }
        ],
    }
    if stat.technology_id:
        data["skills"] = stat.technology.name
    return data


def meta_description(stat: SalaryStat) -> str:
    if stat.published:
        return (
            f"{stat.subject}: a median salary expectation of {money(stat.median)} a month in "
            f"{stat.year}, across {stat.offers:,} job offers to {stat.candidates:,} "
            f"candidates. Distribution, percentiles, trend and seniority breakdown."
        )
    return (
        f"{stat.subject} in {stat.year}: {stat.offers:,} job offers, not enough data to "
        f"publish salary figures ({stat.withheld_reason})."
    )


def explorer_json_ld(request: HttpRequest, *, years: list[int]) -> dict:
    """The explorer as what it is: a dataset of published salary figures, with the
    partner API's CSV as its download."""
    span = f"{min(years)}–{max(years)}" if years else ""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Developer salary expectations by specialization, technology and year",
        "description": (
            "Offer-weighted median, percentiles and $500-band histograms of the monthly "
            "salary expectations in job offers to software developers, per specialization, "
            "technology and year, published only where no figure can reveal one person's "
            "salary."
        ),
        "url": absolute_url(request, request.path),
        **({"temporalCoverage": span.replace("–", "/")} if span else {}),
        "creator": organization(request),
        "isAccessibleForFree": True,
        "variableMeasured": "Monthly salary expectation (USD)",
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": absolute_url(request, "/api/v1/stats/?format=csv"),
            }
        ],
    }
