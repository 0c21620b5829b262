from django.apps import AppConfig


class SalariesConfig(AppConfig):
    name = "salaries"
    verbose_name = "Salaries"

    def ready(self) -> None:
        from salaries import signals  # noqa: F401  (connects the receivers)
