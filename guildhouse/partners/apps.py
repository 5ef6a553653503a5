from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "guildhouse.partners"
    label = "partners"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Home panels (guildhouse.core.home): check-ins due and open campaigns.
        from guildhouse.partners import home_campaigns

        home_campaigns.register()
