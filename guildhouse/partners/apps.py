from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "guildhouse.partners"
    label = "partners"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # The partner portal's home panels, and the notification kinds of the public
        # page and placement requests (registered when services_public is imported).
        from guildhouse.partners import portal

        portal.register()
