from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guildhouse.core"
    label = "core"
    verbose_name = "Guildhouse core"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from guildhouse.core import checks, mfa

        checks.register()
        authenticator_added.connect(mfa.remember_enrolment, dispatch_uid="guildhouse-mfa-enrolled")
