from django.urls import path

from guildhouse.voice import views, views_settings

app_name = "voice"

urlpatterns = [
    # Learners
    path("", views.speak_up, name="speak_up"),
    path("submit/", views.item_submit, name="item_submit"),
    path("consultations/<int:pk>/", views.consultation_answer, name="consultation_answer"),
    path("items/", views.item_list, name="item_list"),
    path("items/<uuid:pk>/support/", views.item_support, name="item_support"),
    path("items/<uuid:pk>/report/", views.item_report, name="item_report"),
    path("receipt/", views.receipt, name="receipt"),
    path("support/", views.support_case_open, name="support_case_open"),
    # Staff
    path("inbox/", views.inbox, name="inbox"),
    path("items/<uuid:pk>/hide/", views.item_hide, name="item_hide"),
    path("moderation/", views.moderation_list, name="moderation_list"),
    path("items/<uuid:pk>/restore/", views.item_restore, name="item_restore"),
    path("support-cases/", views.support_case_list, name="support_case_list"),
    path("support-cases/<int:pk>/status/", views.support_case_status, name="support_case_status"),
    path("settings/", views_settings.settings_edit, name="settings"),
    path("settings/categories/", views_settings.category_list, name="category_list"),
    path("settings/categories/<int:pk>/", views_settings.category_edit, name="category_edit"),
    path("consultations/", views_settings.consultation_list, name="consultation_list"),
    path("consultations/new/", views_settings.consultation_create, name="consultation_create"),
    path(
        "consultations/<int:pk>/edit/",
        views_settings.consultation_edit,
        name="consultation_edit",
    ),
]

# The staff side (triage, board, actions, assemblies, people, stakeholders, reports).
from guildhouse.voice import urls_staff  # noqa: E402

urlpatterns += urls_staff.urlpatterns
