"""The offers importer: ``columns`` (the offer's fields, once), ``reading`` and
``validation`` (pure: files to validated rows), ``writing`` (the two write paths) and
``service`` (``offers_import``, which streams rows through them in batches)."""
