from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("guildhouse.core.urls")),
    path("partners/", include("guildhouse.partners.urls")),
    path("mentoring/", include("guildhouse.mentoring.urls")),
    path("voice/", include("guildhouse.voice.urls")),
    path("accounts/", include("allauth.urls")),
    path("calendar/", include("guildhouse.calendars.urls")),
    path("notifications/", include("guildhouse.notifications.urls")),
    path("jobs/", include("guildhouse.jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operators/", admin.site.urls),
]
