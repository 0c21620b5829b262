"""Public salary pages: the explorer (``explorer``), a specialization's technologies
(``specialization``) and the salary page of a slice (``salary_page``), one module each.

Views read the published statistics through ``selectors`` and shape them for templates;
they never aggregate offers. Every 200 is cached under the statistics generation
(``portal.response_cache.cached_page``), so a page costs one cache round trip until the next run.
"""
