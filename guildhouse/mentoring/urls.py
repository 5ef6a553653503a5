from django.urls import path

from guildhouse.mentoring import (
    views,
    views_intake,
    views_kpis,
    views_matching,
    views_meetings,
    views_monitoring,
    views_training,
)

app_name = "mentoring"

urlpatterns = [
    path("", views_intake.home, name="home"),
    path("training/", views_training.training_list, name="training_list"),
    path("training/<str:key>/", views_training.training_module, name="training_module"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/state/", views.programme_transition, name="programme_transition"),
    path("programmes/<int:pk>/questions/", views_intake.question_list, name="question_list"),
    path(
        "programmes/<int:pk>/applications/",
        views_intake.application_list,
        name="application_list",
    ),
    path("programmes/<int:pk>/apply/<str:side>/", views_intake.apply, name="apply"),
    path("applications/<int:pk>/", views_intake.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/screen/",
        views_intake.application_screen,
        name="application_screen",
    ),
    path("programmes/<int:pk>/matching/", views_matching.matching_review, name="matching_review"),
    path("programmes/<int:pk>/matching/run/", views_matching.matching_start, name="matching_start"),
    path("programmes/<int:pk>/matching/pair/", views_matching.pair_rule, name="pair_rule"),
    path("runs/<int:pk>/publish/", views_matching.matching_publish, name="matching_publish"),
    path("pairs/<int:pk>/", views_matching.relationship_detail, name="relationship_detail"),
    path("pairs/<int:pk>/accept/", views_matching.relationship_accept, name="relationship_accept"),
    path(
        "pairs/<int:pk>/decline/", views_matching.relationship_decline, name="relationship_decline"
    ),
    path("pairs/<int:pk>/pause/", views_matching.relationship_pause, name="relationship_pause"),
    path("pairs/<int:pk>/close/", views_matching.relationship_close, name="relationship_close"),
    path("pairs/<int:pk>/meetings/", views_meetings.meeting_propose, name="meeting_propose"),
    path("meetings/<int:pk>/log/", views_meetings.meeting_log, name="meeting_log"),
    path("meetings/<int:pk>/meeting.ics", views_meetings.meeting_ics, name="meeting_ics"),
    path("monitoring/", views_monitoring.monitoring_board, name="monitoring_board"),
    path("monitoring/contacts/", views_monitoring.contacts_overdue, name="contacts_overdue"),
    path("pairs/<int:pk>/monitoring/", views_monitoring.pair_monitoring, name="pair_monitoring"),
    path("pairs/<int:pk>/flag/", views_monitoring.flag_raise, name="flag_raise"),
    path("flags/<int:pk>/", views_monitoring.flag_detail, name="flag_detail"),
    path("kpis/", views_kpis.kpis_overview, name="kpis_overview"),
    path("kpis.csv", views_kpis.kpis_csv, name="kpis_overview_csv"),
    path("kpis.xlsx", views_kpis.kpis_xlsx, name="kpis_overview_xlsx"),
    path("programmes/<int:pk>/kpis/", views_kpis.programme_kpis_page, name="programme_kpis"),
    path("programmes/<int:pk>/kpis.csv", views_kpis.kpis_csv, name="programme_kpis_csv"),
    path("programmes/<int:pk>/kpis.xlsx", views_kpis.kpis_xlsx, name="programme_kpis_xlsx"),
    path("programmes/<int:pk>/evidence/", views_kpis.evidence_add, name="evidence_add"),
]
