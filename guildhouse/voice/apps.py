from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "guildhouse.voice"
    label = "voice"
    verbose_name = _("Learner voice")

    def ready(self) -> None:
        # The staff side: the coordinators' overdue panel and the report jobs.
        from guildhouse.voice import home_staff, tasks_staff  # noqa: F401

        home_staff.register()
