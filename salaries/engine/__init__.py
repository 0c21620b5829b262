"""The statistics engine: ``aggregation`` (the grouped reads and their slice keys) and
``refresh`` (``salary_stats_refresh``, which computes and publishes every slice). The
figures themselves are ``salaries.stats``."""
