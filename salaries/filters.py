"""One FilterSet for the salary explorer page and the partner API."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django_filters import rest_framework as filters
from django_filters.fields import BaseCSVField
from django_filters.widgets import BaseCSVWidget

from portal.query import repeated_message
from salaries.models import SalaryStat, Specialization, Technology
from salaries.slugs import ALL, slice_slug

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
            value = slice_slug(value)
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
        return qs.cell(**{self.field_name: value})


class WholeNumberFilter(filters.NumberFilter):
    """A number filter that takes whole numbers only ("2024", not "2024.5")."""

    field_class = forms.IntegerField


class RepeatableCSVWidget(BaseCSVWidget):
    """Reads every occurrence of the parameter, each comma-separated:
    ``?ordering=-median&ordering=offers`` (what OpenAPI clients send for an array) is
    ``?ordering=-median,offers``. Items are kept as typed, empty ones included, so the
    field can say what is wrong with them."""

    def value_from_datadict(self, data, files, name):
        if not hasattr(data, "getlist"):
            return super().value_from_datadict(data, files, name)
        values = data.getlist(name)
        if not values:
            return None
        if values == [""]:
            return []
        return [item.strip() for value in values for item in value.split(",")]


class OrderingField(BaseCSVField):
    """A list of sort keys, with no empty item ("median,")."""

    base_widget_class = RepeatableCSVWidget

    def clean(self, value):
        if value and "" in value:
            raise ValidationError(
                f'"{",".join(value)}" has an empty item: separate the fields with single '
                'commas, as in "-median,offers".',
                code="empty_item",
            )
        return super().clean(value)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Order so that slices without money figures come last in either direction, the same
    on SQLite and PostgreSQL, with a stable tie-break for pagination. Several fields may
    be given, comma-separated or as repeated parameters."""

    base_field_class = OrderingField

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


class OneValueEachForm(forms.Form):
    """Every filter but the ordering takes one value: a repeated one is an error naming
    it, rather than a silent choice of one of the values."""

    repeatable = frozenset({"ordering"})

    def clean(self):
        cleaned = super().clean()
        if hasattr(self.data, "getlist"):
            for name in self.fields:
                count = len(self.data.getlist(name))
                if count > 1 and name not in self.repeatable:
                    self.add_error(name, ValidationError(repeated_message(name, count)))
        return cleaned


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
        help_text="median, offers or year; prefix with - for descending. Several fields, "
        'comma-separated or repeated ("-median,offers"), sort by the first, then the next.',
    )

    class Meta:
        form = OneValueEachForm
        model = SalaryStat
        fields = ["specialization", "technology", "year", "min_offers"]
