"""Public salary pages, mounted at ``/salaries/``. ``all`` works in place of either slug."""

from django.urls import path, register_converter

from salaries.views import explorer, salary_page, specialization


class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(YearConverter, "year")

app_name = "salaries"
urlpatterns = [
    path("", explorer.explorer, name="explorer"),
    path("<slug:specialization>/", specialization.specialization_page, name="specialization"),
    path(
        "<slug:specialization>/<slug:technology>/",
        salary_page.newest_year,
        name="newest-year",
    ),
    path(
        "<slug:specialization>/<slug:technology>/<year:year>/",
        salary_page.salary_page,
        name="salary-page",
    ),
    path(
        "<slug:specialization>/<slug:technology>/<year:year>/histogram.csv",
        salary_page.histogram_csv,
        name="histogram-csv",
    ),
]
