"""A Django hello-world, the baseline that ``bench/core_pages.py`` serves beside Guildhouse.

One view, no middleware, no database: what Django and gunicorn cost on their own on
this machine at this moment. Never part of the product (not in ``guildhouse.urls``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-world-only",  # noqa: S106 (never serves anything but "Hello")
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
