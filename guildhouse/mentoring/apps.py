from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "guildhouse.mentoring"
    label = "mentoring"
    verbose_name = _("Peer mentoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guildhouse.calendars.api import register_feed_source
        from guildhouse.mentoring.calendar import mentoring_feed

        register_feed_source(mentoring_feed)

        from guildhouse.core.home import HomePanel, register_home_panel
        from guildhouse.core.models import Role
        from guildhouse.mentoring.home import due_surveys_panel
        from guildhouse.mentoring.home_panels import PANELS

        for panel in PANELS:
            register_home_panel(panel)
        register_home_panel(
            HomePanel(
                key="mentoring_due_surveys",
                template="mentoring/home/_due_surveys.html",
                roles=frozenset({Role.LEARNER, Role.PARTNER}),
                context=due_surveys_panel,
                order=40,
            )
        )
