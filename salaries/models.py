"""Offers as imported, and the statistics published from them.

Offers are the raw facts (one job offer received by one candidate, at the candidate's
salary expectation). ``SalaryStat`` rows are what every page, API response and article
block reads; they are replaced as a whole set by ``compute_salary_stats``, together with
the ``SalaryFact`` rows they were computed from. (A little over 400 lines: the published
figures and the facts behind them belong together.)
"""

import contextlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from rest_framework_api_key.models import AbstractAPIKey

from salaries.disclosure import Withheld, withheld_reason
from salaries.rates import default_partner_rate, rate_normalise, validate_rate
from salaries.slugs import ALL, slice_lookup, validate_catalogue_slug
from salaries.stats import MAX_SALARY


class Seniority(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MIDDLE = "middle", "Middle"
    SENIOR = "senior", "Senior"
    EXPERT = "expert", "Expert"


class EnglishLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    INTERMEDIATE = "intermediate", "Intermediate"
    UPPER_INTERMEDIATE = "upper-intermediate", "Upper-intermediate"
    ADVANCED = "advanced", "Advanced"
    FLUENT = "fluent", "Fluent"


class NamedSlugModel(models.Model):
    slug = models.SlugField(
        max_length=50,
        unique=True,
        validators=[validate_catalogue_slug],
        help_text="Used in URLs and in imported files. Changing it breaks links.",
    )
    name = models.CharField(max_length=100, help_text="How the name reads on the site.")
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on salary pages."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialization(NamedSlugModel):
    """A role such as back-end or data science."""

    role_title = models.CharField(
        max_length=100,
        blank=True,
        help_text='How a person in this role is called in page titles, e.g. "Back-End Web '
        'Developer". Empty: the name followed by "Developer".',
    )

    class Meta(NamedSlugModel.Meta):
        pass

    @property
    def person_title(self) -> str:
        return self.role_title or f"{self.name} Developer"


class Technology(NamedSlugModel):
    """A language, framework, database or tool named in offers."""

    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Technologies compared with this one on its salary pages.",
    )

    class Meta(NamedSlugModel.Meta):
        verbose_name_plural = "technologies"


class Candidate(models.Model):
    """A person who received offers, known only by the identifier of the source system."""

    # Unique through a constraint rather than ``unique=True``: on PostgreSQL the field
    # option adds a second, pattern-matching index that no query uses and every import
    # has to keep up to date.
    external_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="candidate_external_id_uniq")
        ]

    def __str__(self) -> str:
        return self.external_id


class Offer(models.Model):
    offer_id = models.CharField(max_length=64)  # unique: see Meta (as Candidate.external_id)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="offers")
    specialization = models.ForeignKey(
        Specialization, on_delete=models.PROTECT, related_name="offers"
    )
    technologies = models.ManyToManyField(
        Technology, through="OfferTechnology", related_name="offers"
    )
    salary = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SALARY)],
        help_text="The candidate's salary expectation, whole US dollars per month.",
    )
    offered_on = models.DateField()
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    experience_years = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    english_level = models.CharField(max_length=20, choices=EnglishLevel.choices, blank=True)
    remote = models.BooleanField(null=True, blank=True)
    imported_at = models.DateTimeField(help_text="When this offer was first imported.")
    updated_at = models.DateTimeField(help_text="When an import last changed this offer.")

    class Meta:
        indexes = [
            models.Index(fields=["offered_on", "specialization"], name="offer_date_spec_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["offer_id"], name="offer_offer_id_uniq")]

    def __str__(self) -> str:
        return self.offer_id


class OfferTechnology(models.Model):
    """An offer names a technology. Explicit so imports can bulk-write it."""

    # Both foreign keys are covered by the composite indexes below; their own indexes would
    # only slow imports down.
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, db_index=False)
    technology = models.ForeignKey(Technology, on_delete=models.PROTECT, db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "technology"], name="offer_technology_uniq")
        ]
        indexes = [models.Index(fields=["technology", "offer"], name="offertech_tech_offer_idx")]

    def __str__(self) -> str:
        return f"{self.offer_id} uses {self.technology_id}"


class StatsRun(models.Model):
    """One publication of statistics. Its id is the cache generation of everything built
    on the published figures."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: all years.")
    slices = models.PositiveIntegerField()
    offers = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        scope = self.year or "all years"
        return f"Statistics run #{self.pk} ({scope}, {self.slices} slices)"


class SalaryFact(models.Model):
    """One offer (``t`` = 0) or one (offer, technology) pair as the published statistics
    saw it: kept with the published set, so a faceted answer computed on demand agrees with
    the breakdowns and carries the same ``computed_at``. Plain integer columns (facet
    codes from ``salaries.facets``), grouped by ``salaries.engine``."""

    s = models.BigIntegerField(help_text="Specialization id.")
    t = models.BigIntegerField(help_text="Technology id; 0 for the offer itself.")
    y = models.SmallIntegerField(help_text="Year of the offer.")
    c = models.BigIntegerField(help_text="Candidate id.")
    p = models.IntegerField(help_text="Salary expectation.")
    l = models.SmallIntegerField(help_text="Seniority code.")  # noqa: E741
    e = models.SmallIntegerField(help_text="English level code.")
    r = models.SmallIntegerField(help_text="Remote code: 1 remote, 2 office.")
    k = models.SmallIntegerField(help_text="Country code.")

    class Meta:
        indexes = [models.Index(fields=["y", "t", "s"], name="fact_slice_idx")]

    def __str__(self) -> str:
        return f"fact {self.s}/{self.t}/{self.y}: {self.p}"


class SalaryStatQuerySet(models.QuerySet):
    def cell(
        self, *, specialization: str | None = None, technology: str | None = None
    ) -> "SalaryStatQuerySet":
        """The rows of the cell named by these slugs (``all`` for a roll-up, any case); a
        dimension given as None is left open."""
        lookups = {}
        if specialization is not None:
            lookups.update(slice_lookup("specialization", specialization))
        if technology is not None:
            lookups.update(slice_lookup("technology", technology))
        return self.filter(**lookups)

    def without_rollups(
        self, *, specialization: bool = False, technology: bool = False
    ) -> "SalaryStatQuerySet":
        """Leave out the roll-up rows (``all``) on the sides asked for."""
        lookups = {}
        if specialization:
            lookups["specialization__isnull"] = False
        if technology:
            lookups["technology__isnull"] = False
        return self.filter(**lookups)


class SalaryStat(models.Model):
    """The published figures of one slice: (specialization or all, technology or all, year).

    Money figures and the histogram are null when the slice fails a disclosure rule
    (``salaries.disclosure``); ``withheld`` names the first rule that failed, or ``tails``
    when only p10 and p90 are null. ``by_seniority`` entries carry their own ``withheld``.
    """

    specialization = models.ForeignKey(
        Specialization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="salary_stats",
        help_text="Empty: every specialization.",
    )
    technology = models.ForeignKey(
        Technology,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="salary_stats",
        help_text="Empty: every technology.",
    )
    year = models.PositiveSmallIntegerField()
    offers = models.PositiveIntegerField()
    candidates = models.PositiveIntegerField()
    median = models.PositiveIntegerField(null=True)
    mean = models.PositiveIntegerField(null=True)
    p10 = models.PositiveIntegerField(null=True)
    p25 = models.PositiveIntegerField(null=True)
    p75 = models.PositiveIntegerField(null=True)
    p90 = models.PositiveIntegerField(null=True)
    histogram = models.JSONField(null=True)
    # Null, not "", when nothing is withheld: the API and CSV publish it as null.
    withheld = models.CharField(  # noqa: DJ001
        max_length=20,
        choices=Withheld.choices,
        null=True,
        blank=True,
        help_text="The disclosure rule that withheld figures; empty when all are published.",
    )
    by_seniority = models.JSONField(default=dict)
    by_english_level = models.JSONField(default=dict)
    by_remote = models.JSONField(default=dict)
    by_country = models.JSONField(default=dict)
    run = models.ForeignKey(StatsRun, on_delete=models.PROTECT, related_name="stats")
    computed_at = models.DateTimeField()

    objects = SalaryStatQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-offers"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialization", "technology", "year"],
                condition=Q(specialization__isnull=False, technology__isnull=False),
                name="salarystat_slice_uniq",
            ),
            models.UniqueConstraint(
                fields=["specialization", "year"],
                condition=Q(specialization__isnull=False, technology__isnull=True),
                name="salarystat_spec_all_uniq",
            ),
            models.UniqueConstraint(
                fields=["technology", "year"],
                condition=Q(specialization__isnull=True, technology__isnull=False),
                name="salarystat_all_tech_uniq",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(specialization__isnull=True, technology__isnull=True),
                name="salarystat_all_all_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "specialization", "technology"], name="stat_year_idx"),
            models.Index(fields=["technology", "year"], name="stat_tech_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.specialization_slug} × {self.technology_slug} × {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "salaries:salary-page",
            args=[self.specialization_slug, self.technology_slug, self.year],
        )

    @property
    def specialization_slug(self) -> str:
        return self.specialization.slug if self.specialization_id else ALL

    @property
    def subject(self) -> str:
        """Who the figures are about, as page titles read: "Back-End Web Developer with
        Flask", "Flask Developer", "Back-End Web Developer", "Software Developer"."""
        return slice_subject(self.specialization, self.technology)

    @property
    def title(self) -> str:
        return f"{self.subject} Salary in {self.year}"

    @property
    def published(self) -> bool:
        """Whether the slice publishes money figures (one withheld for its tails alone
        does)."""
        return self.median is not None

    @property
    def withheld_reason(self) -> str:
        """Why figures are withheld, in plain words; empty when none is."""
        return withheld_reason(self.withheld)

    @property
    def technology_slug(self) -> str:
        return self.technology.slug if self.technology_id else ALL


def slice_subject(specialization: Specialization | None, technology: Technology | None) -> str:
    """The person a slice is about; ``None`` stands for "all"."""
    if specialization and technology:
        return f"{specialization.person_title} with {technology.name}"
    if technology:
        return f"{technology.name} Developer"
    if specialization:
        return specialization.person_title
    return "Software Developer"


class Partner(models.Model):
    """A company that pulls the statistics through the API with its own keys."""

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField(blank=True)
    rate = models.CharField(
        max_length=20,
        default=default_partner_rate,
        validators=[validate_rate],
        help_text="Requests allowed per key: N/second, N/minute, N/hour or N/day.",
    )
    active = models.BooleanField(default=True, help_text="Inactive partners' keys stop working.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Stored as the command stores it ("1000/HOUR" typed in the admin is "1000/hour");
        # an invalid rate has already been reported by the field's validator.
        with contextlib.suppress(ValueError):
            self.rate = rate_normalise(self.rate)


class PartnerAPIKey(AbstractAPIKey):
    """A hashed API key of a partner; the key itself is shown once, when it is made.

    Only the prefix (the part before the dot) is stored readable, so people can tell
    keys apart; a key stops working when revoked, past its expiry date, or when its
    partner is made inactive.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"

    @property
    def status(self) -> str:
        if self.revoked:
            return "revoked"
        if self.has_expired:
            return "expired"
        if not self.partner.active:
            return "partner inactive"
        return "active"
