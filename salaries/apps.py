from django.apps import AppConfig


class SalariesConfig(AppConfig):
    name = "salaries"
    verbose_name = "Salaries"

    def ready(self) -> None:
        from salaries import schema, signals  # noqa: F401  (registers the receivers and the schema extension)
