from django.urls import path

from guildhouse.mentoring import (
    views,
    views_intake,
    views_lifecycle,
    views_matching,
    views_meetings,
    views_surveys,
    views_swap,
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
    path("pairs/<int:pk>/agreement/", views_lifecycle.agreement_edit, name="agreement_edit"),
    path("pairs/<int:pk>/goals/", views_lifecycle.goal_add, name="goal_add"),
    path("goals/<int:pk>/", views_lifecycle.goal_detail, name="goal_detail"),
    path("pairs/<int:pk>/closure/", views_lifecycle.closure_update, name="closure_update"),
    path("surveys/", views_surveys.my_surveys, name="my_surveys"),
    path("pairs/<int:pk>/surveys/<str:kind>/", views_surveys.survey_answer, name="survey_answer"),
    path("meetings/<int:pk>/rate/", views_surveys.meeting_rate, name="meeting_rate"),
    path("programmes/<int:pk>/surveys/", views_surveys.programme_surveys, name="programme_surveys"),
    path(
        "programmes/<int:pk>/matching/swap/<int:proposal>/",
        views_swap.matching_swap,
        name="matching_swap",
    ),
]
