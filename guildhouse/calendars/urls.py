from django.urls import path, re_path

from guildhouse.calendars import views

urlpatterns = [
    # The token is the whole credential: base64url from secrets.token_urlsafe(32).
    re_path(
        r"^feed/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.calendar_feed, name="calendar_feed"
    ),
    path("link/new/", views.calendar_link_create, name="calendar_link_create"),
    path("link/revoke/", views.calendar_link_revoke, name="calendar_link_revoke"),
]
