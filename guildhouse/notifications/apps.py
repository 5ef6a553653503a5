from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "guildhouse.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from guildhouse.notifications import kinds  # noqa: F401 -- registers the core kinds
