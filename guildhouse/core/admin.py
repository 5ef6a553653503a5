"""The operators' admin (/operators/): platform staff only, not institution roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from guildhouse.core.models import (
    AuditEvent,
    Institution,
    Invitation,
    LearnerProfile,
    Membership,
    Programme,
    StaffProfile,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("full_name", "preferred_name")}),
        ("Operator access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ("is_active", "is_staff")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin[Institution]):
    list_display = ("name", "short_name", "consortium", "city")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("name", "code", "institution", "field", "level", "active")
    list_filter = ("institution", "field", "level", "active")
    search_fields = ("name", "code")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "institution", "role", "is_active")
    list_filter = ("institution", "role", "is_active")
    search_fields = ("user__email", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin[LearnerProfile]):
    list_display = ("membership", "programme", "cohort", "year_of_study")
    raw_id_fields = ("membership",)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin[StaffProfile]):
    list_display = ("membership", "job_title", "department")
    raw_id_fields = ("membership",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "institution", "role", "created_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "created_at",
        "institution",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("institution", "action", "object_type")

    # The audit log is append-only, for operators too.
    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False
