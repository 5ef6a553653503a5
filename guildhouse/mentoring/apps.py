from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "guildhouse.mentoring"
    label = "mentoring"
    verbose_name = _("Peer mentoring")
    default_auto_field = "django.db.models.BigAutoField"
