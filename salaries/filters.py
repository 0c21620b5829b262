"""One FilterSet for the salary explorer page and the partner API."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django_filters import rest_framework as filters

from salaries.models import ALL, SalaryStat, Specialization, Technology

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_OFFERS = 2_147_483_647  # what every database stores in the offers column


class SlugOrAllField(forms.SlugField):
    """A slug that must exist in ``model``, or ``all``."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            value = value.strip().lower()
            if value != ALL and not self.model.objects.filter(slug=value).exists():
                noun = self.model._meta.verbose_name
                raise ValidationError(
                    f'Unknown {noun} "{value}". Use "all" or a slug from the {noun} list.',
                    code="unknown",
                )
        return value


class SlugOrAllFilter(filters.CharFilter):
    field_class = SlugOrAllField

    def filter(self, qs, value):
        if not value:
            return qs
        if value == ALL:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return qs.filter(**{f"{self.field_name}__slug": value})


class WholeNumberFilter(filters.NumberFilter):
    """A number filter that takes whole numbers only ("2024", not "2024.5")."""

    field_class = forms.IntegerField


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Order so that slices without money figures come last in either direction, the same
    on SQLite and PostgreSQL, with a stable tie-break for pagination."""

    def filter(self, qs, value):
        if not value:
            return qs
        expressions = []
        for param in value:
            descending = param.startswith("-")
            field = F(self.param_map[param.lstrip("-")])
            expressions.append(
                field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
            )
        return qs.order_by(*expressions, "pk")


class SalaryStatFilter(filters.FilterSet):
    specialization = SlugOrAllFilter(
        field_name="specialization",
        model=Specialization,
        label="Specialization",
        help_text='A specialization slug, or "all" for the roll-up across specializations.',
    )
    technology = SlugOrAllFilter(
        field_name="technology",
        model=Technology,
        label="Technology",
        help_text='A technology slug, or "all" for the roll-up across technologies.',
    )
    year = WholeNumberFilter(
        field_name="year",
        label="Year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="Calendar year of the offers.",
    )
    min_offers = WholeNumberFilter(
        field_name="offers",
        label="Minimum offers",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_OFFERS,
        help_text="Only slices with at least this many offers.",
    )
    ordering = NullsLastOrderingFilter(
        label="Ordering",
        fields=(("median", "median"), ("offers", "offers"), ("year", "year")),
        help_text="median, offers or year; prefix with - for descending.",
    )

    class Meta:
        model = SalaryStat
        fields = ["specialization", "technology", "year", "min_offers"]
