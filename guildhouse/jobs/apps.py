from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "guildhouse.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every app's tasks.py declares its tasks and periodic jobs; importing them
        # here fills the periodic registry in web processes and workers alike.
        autodiscover_modules("tasks")
