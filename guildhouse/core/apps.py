from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guildhouse.core"
    label = "core"
    verbose_name = "Guildhouse core"
