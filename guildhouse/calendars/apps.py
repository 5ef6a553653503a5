from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "guildhouse.calendars"
    label = "calendars"
    verbose_name = "Guildhouse calendars"

    def ready(self) -> None:
        # Feed URLs carry a secret token; request and access logs must never keep it.
        from guildhouse.calendars.redaction import install_token_redaction

        install_token_redaction()
