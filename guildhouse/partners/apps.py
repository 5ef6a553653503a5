from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "guildhouse.partners"
    label = "partners"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from guildhouse.calendars.api import register_feed_source
        from guildhouse.partners.home import register_panels
        from guildhouse.partners.selectors_events import events_feed

        register_panels()
        register_feed_source(events_feed)
        # The partner portal's home panels, and the notification kinds of the public
        # page and placement requests (registered when services_public is imported).
        from guildhouse.partners import portal

        portal.register()
        # Home panels (guildhouse.core.home): check-ins due and open campaigns.
        from guildhouse.partners import home_campaigns

        home_campaigns.register()
