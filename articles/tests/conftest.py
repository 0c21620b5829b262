"""Fixtures of the articles app's tests: a real SMTP server the site's mail goes through."""

import pytest

from articles.tests.smtp import SMTPServer


@pytest.fixture
def smtp(settings):
    """An aiosmtpd server on a free loopback port, and the settings that send through it."""
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()
