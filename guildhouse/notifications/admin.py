from django.contrib import admin

from guildhouse.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("subject", "kind", "recipient", "institution", "created_at", "email_state")
    list_filter = ("kind", "email_state")
    raw_id_fields = ("recipient", "institution")
