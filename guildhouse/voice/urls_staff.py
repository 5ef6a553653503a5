"""URLs of the staff side of learner voice, appended to ``voice/urls.py``'s list."""

from django.urls import path

from guildhouse.voice import views_engagement, views_reports, views_staff

urlpatterns = [
    path("staff/items/<uuid:pk>/", views_staff.item_detail, name="staff_item"),
    path("staff/items/<uuid:pk>/triage/", views_staff.item_triage, name="staff_item_triage"),
    path("staff/items/<uuid:pk>/notes/", views_staff.item_note, name="staff_item_note"),
    path("staff/items/<uuid:pk>/reply/", views_staff.item_reply, name="staff_item_reply"),
    path("staff/items/<uuid:pk>/respond/", views_staff.item_respond, name="staff_item_respond"),
    path("staff/overdue/", views_staff.overdue_list, name="overdue_list"),
    path("you-said-we-did/", views_staff.board, name="board"),
    path("actions/", views_staff.action_list, name="action_list"),
    path("actions/new/", views_staff.action_create, name="action_create"),
    path("actions/<int:pk>/", views_staff.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views_staff.action_edit, name="action_edit"),
    path("actions/<int:pk>/allocate/", views_staff.action_allocate, name="action_allocate"),
    path("assemblies/", views_engagement.assembly_list, name="assembly_list"),
    path("assemblies/new/", views_engagement.assembly_create, name="assembly_create"),
    path("assemblies/<int:pk>/", views_engagement.assembly_detail, name="assembly_detail"),
    path("assemblies/<int:pk>/edit/", views_engagement.assembly_edit, name="assembly_edit"),
    path(
        "assemblies/<int:pk>/decisions/",
        views_engagement.assembly_decision,
        name="assembly_decision",
    ),
    path("assemblies/<int:pk>/assembly.ics", views_engagement.assembly_ics, name="assembly_ics"),
    path("people/", views_engagement.people, name="people"),
    path(
        "people/responsibilities/", views_engagement.responsibility_add, name="responsibility_add"
    ),
    path("people/training/new/", views_engagement.training_create, name="training_create"),
    path("stakeholders/", views_engagement.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/new/", views_engagement.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<int:pk>/", views_engagement.stakeholder_detail, name="stakeholder_detail"),
    path(
        "stakeholders/<int:pk>/involvement/",
        views_engagement.stakeholder_involvement,
        name="stakeholder_involvement",
    ),
    path("reports/", views_reports.report, name="report"),
    path("reports/refresh/", views_reports.report_refresh, name="report_refresh"),
    path("reports/export.<str:fmt>", views_reports.report_export, name="report_export"),
]
