"""``GET /api/v1/stats/<specialization>/<technology>/<year>/rank/?salary=N``: where a
monthly salary expectation stands in a slice, from its published histogram alone
(``salaries.rank``). Cached like every other answer of the partner API, keyed by the one
parameter it reads."""

from __future__ import annotations

from functools import partial

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from portal.response_cache import params_of
from salaries import selectors
from salaries.api_base import PartnerAPIMixin
from salaries.api_docs import BAD_QUERY, ERRORS, NOT_FOUND, SLICE_PATH, YEAR_PATH
from salaries.models import SalaryStat, Withheld
from salaries.rank import SALARY_MAX, SALARY_MIN, SALARY_PARAM, percent_below, salary_param
from salaries.slugs import slice_slug


class RankSerializer(serializers.Serializer):
    """The answer's shape (DESIGN.md): ``withheld`` appears only beside a null share."""

    salary = serializers.IntegerField(help_text="The monthly salary expectation asked about.")
    percent_below = serializers.IntegerField(
        allow_null=True,
        help_text="Whole percent of the slice's offers below the salary: offers in the $500 "
        "bands below its band, plus its own band's offers × (salary − band start) / 500, "
        "over all offers, rounded half up. Null where the histogram is withheld.",
    )
    offers = serializers.IntegerField(help_text="Offers in the slice.")
    computed_at = serializers.DateTimeField(help_text="When the slice was computed (UTC).")
    filters = serializers.DictField(help_text="The facets that narrow this answer: {} here.")
    withheld = serializers.ChoiceField(
        choices=Withheld.choices,
        required=False,
        help_text="Present when percent_below is null: the disclosure rule that withholds "
        "the slice's histogram.",
    )


def rank_answer(stat: SalaryStat, salary: int) -> dict:
    """The answer for ``salary`` in ``stat``: the share from the published histogram, or
    null with the rule that withholds it."""
    share = percent_below(stat.histogram, salary) if stat.histogram else None
    answer = {
        "salary": salary,
        "percent_below": share,
        "offers": stat.offers,
        "computed_at": serializers.DateTimeField().to_representation(stat.computed_at),
        "filters": {},
    }
    if share is None:
        answer["withheld"] = stat.withheld or Withheld.MIN_OFFERS
    return answer


class SalaryStatRankView(PartnerAPIMixin, generics.GenericAPIView):
    """Where a monthly salary expectation stands among a slice's offers."""

    serializer_class = RankSerializer
    pagination_class = None
    cache_params = params_of(SALARY_PARAM)

    @extend_schema(
        operation_id="stats_rank",
        summary="Where a salary stands in a slice",
        description="The share of the slice's offers below a monthly salary expectation, "
        "computed from the published histogram alone (so it reveals nothing the slice does "
        "not). Null, with `withheld`, where the histogram is withheld.",
        tags=["stats"],
        parameters=[
            *SLICE_PATH,
            YEAR_PATH,
            OpenApiParameter(
                SALARY_PARAM,
                {"type": "integer", "minimum": SALARY_MIN, "maximum": SALARY_MAX},
                OpenApiParameter.QUERY,
                required=True,
                description="Monthly salary expectation in whole US dollars.",
            ),
        ],
        responses={200: RankSerializer, 400: BAD_QUERY, 404: NOT_FOUND, **ERRORS},
        examples=[
            OpenApiExample(
                "Back-End × Flask × 2024, $6,000",
                value={
                    "salary": 6000,
                    "percent_below": 34,
                    "offers": 571,
                    "computed_at": "2024-12-31T23:00:00Z",
                    "filters": {},
                },
            )
        ],
    )
    def get(self, request, specialization: str, technology: str, year: str):
        return self.cached(
            request, partial(self._rank, request, specialization, technology, int(year))
        )

    def _rank(self, request, specialization: str, technology: str, year: int) -> Response:
        salary = salary_param(request.query_params)
        if salary is None:
            raise exceptions.ValidationError(
                {
                    SALARY_PARAM: [
                        f"salary is required: a whole number of US dollars a month from "
                        f"{SALARY_MIN} to {SALARY_MAX:,}, such as ?salary=6000."
                    ]
                }
            )
        specialization, technology = slice_slug(specialization), slice_slug(technology)
        stat = selectors.salary_stat_get(
            specialization=specialization, technology=technology, year=year
        )
        if stat is None:
            raise exceptions.NotFound(
                f"No published statistics for {specialization} × {technology} × {year}."
            )
        return Response(rank_answer(stat, salary))
