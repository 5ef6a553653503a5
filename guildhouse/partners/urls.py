from django.urls import path

from guildhouse.partners import (
    views,
    views_agreements,
    views_campaigns,
    views_export,
    views_feedback,
    views_import,
    views_placements,
    views_public,
)

app_name = "partners"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/move/", views.organisation_move, name="organisation_move"),
    path("organisations/<int:pk>/notes/", views.note_add, name="note_add"),
    path("organisations/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path(
        "organisations/<int:pk>/interactions/new/",
        views.interaction_log,
        name="interaction_log",
    ),
    path("organisations/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("organisations/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/<int:pk>/close/", views.commitment_close, name="commitment_close"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="interaction_delete"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("affiliations/<int:pk>/end/", views.affiliation_end, name="affiliation_end"),
    path(
        "organisations/<int:pk>/opportunities/new/",
        views_placements.opportunity_create,
        name="opportunity_create",
    ),
    path("opportunities/", views_placements.opportunity_list, name="opportunity_list"),
    path(
        "opportunities/<int:pk>/",
        views_placements.opportunity_detail,
        name="opportunity_detail",
    ),
    path("opportunities/<int:pk>/periods/", views_placements.period_add, name="period_add"),
    path(
        "periods/<int:pk>/placements/new/",
        views_placements.placement_propose,
        name="placement_propose",
    ),
    path("placements/", views_placements.placement_list, name="placement_list"),
    path("placements/<int:pk>/", views_placements.placement_detail, name="placement_detail"),
    path(
        "placements/<int:pk>/documents/",
        views_placements.compliance_record,
        name="compliance_record",
    ),
    path(
        "placements/<int:pk>/confirm/",
        views_placements.placement_confirm,
        name="placement_confirm",
    ),
    path("placements/<int:pk>/cancel/", views_placements.placement_cancel, name="placement_cancel"),
    path(
        "organisations/<int:pk>/agreements/new/",
        views_agreements.agreement_create,
        name="agreement_create",
    ),
    path("agreements/", views_agreements.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views_agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/print/", views_agreements.agreement_print, name="agreement_print"),
    path(
        "agreements/<int:pk>/signatories/",
        views_agreements.signatory_add,
        name="signatory_add",
    ),
    path(
        "agreements/<int:pk>/contributions/",
        views_agreements.contribution_add,
        name="contribution_add",
    ),
    path("agreements/<int:pk>/sign/", views_agreements.agreement_sign, name="agreement_sign"),
    path(
        "agreements/<int:pk>/download/",
        views_agreements.agreement_document,
        name="agreement_document",
    ),
    path("pipeline/", views.pipeline_board, name="pipeline_board"),
    path("pipeline/stale/", views.stale_list, name="stale_list"),
    path("check-ins/", views.check_in_list, name="check_in_list"),
    path("health/", views.health_list, name="health_list"),
    path("pipeline/stages/", views.stage_settings, name="stage_settings"),
    # Value proposition, public page, feedback, placement requests (issue 9: 4, 9, 10, 12)
    path("with-us/<slug:slug>/", views_public.public_page, name="public_page"),
    path("with-us/<slug:slug>/thanks/", views_public.public_thanks, name="public_thanks"),
    path("offer/", views_public.offer_edit, name="offer_edit"),
    path("stories/", views_public.story_list, name="story_list"),
    path("stories/<int:pk>/", views_public.story_edit, name="story_edit"),
    path("stories/<int:pk>/publish/", views_public.story_publish, name="story_publish"),
    path("enquiries/", views_public.enquiry_list, name="enquiry_list"),
    path("feedback/", views_feedback.feedback_overview, name="feedback_overview"),
    path(
        "organisations/<int:pk>/testimonials/new/",
        views_feedback.testimonial_create,
        name="testimonial_create",
    ),
    path(
        "testimonials/<int:pk>/consent/",
        views_feedback.testimonial_consent,
        name="testimonial_consent",
    ),
    path(
        "testimonials/<int:pk>/publish/",
        views_feedback.testimonial_publish,
        name="testimonial_publish",
    ),
    path("survey/", views_feedback.survey, name="survey"),
    path("placements/<int:pk>/evaluate/", views_feedback.evaluation, name="evaluation"),
    path(
        "opportunities/<int:pk>/requests/new/",
        views_feedback.request_create,
        name="request_create",
    ),
    path("requests/", views_feedback.request_list, name="request_list"),
    path("requests/<int:pk>/", views_feedback.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", views_feedback.request_answer, name="request_answer"),
]

# Goals, programme alignment, CPD and events (views_goals, views_alignment, views_cpd,
# views_events).
from guildhouse.partners import views_alignment, views_cpd, views_events, views_goals  # noqa: E402

urlpatterns += [
    path("goals/", views_goals.goal_list, name="goal_list"),
    path("goals/new/", views_goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/edit/", views_goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", views_goals.goal_delete, name="goal_delete"),
    path("programmes/", views_alignment.coverage, name="coverage"),
    path("programmes/<int:pk>/", views_alignment.programme_alignment, name="programme_alignment"),
    path("programmes/<int:pk>/reviews/new/", views_alignment.review_add, name="review_add"),
    path("cpd/", views_cpd.cpd_mine, name="cpd_mine"),
    path("cpd/<int:pk>/delete/", views_cpd.cpd_delete, name="cpd_delete"),
    path("cpd/summary/", views_cpd.cpd_summary, name="cpd_summary"),
    path("events/", views_events.event_list, name="event_list"),
    path("events/new/", views_events.event_create, name="event_create"),
    path("events/<int:pk>/", views_events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views_events.event_edit, name="event_edit"),
    path("events/<int:pk>/attendees/", views_events.attendee_add, name="attendee_add"),
    path(
        "events/<int:pk>/partners/",
        views_events.event_organisation_add,
        name="event_organisation_add",
    ),
    path(
        "events/<int:pk>/partners/<int:organisation_pk>/remove/",
        views_events.event_organisation_remove,
        name="event_organisation_remove",
    ),
    path(
        "events/<int:pk>/attendees/<int:attendee_pk>/remove/",
        views_events.attendee_remove,
        name="attendee_remove",
    ),
    path("events/<int:pk>/calendar.ics", views_events.event_ics, name="event_ics"),
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/send/", views_campaigns.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/remind/", views_campaigns.campaign_remind, name="campaign_remind"),
    path(
        "answer/<int:campaign_id>/<str:token>/",
        views_campaigns.campaign_answer,
        name="campaign_answer",
    ),
    path("import/", views_import.import_start, name="import_start"),
    path("import/download-template/", views_import.import_template, name="import_template"),
    path("import/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", views_import.import_commit, name="import_commit"),
    path("export/<slug:name>.<str:fmt>", views_export.export, name="export"),
    path("reminders/", views_import.reminder_settings_edit, name="reminder_settings"),
]

# Lookup fields' suggestions (views_lookup).
from guildhouse.partners import views_lookup  # noqa: E402

urlpatterns += [
    path("lookup/<slug:kind>/", views_lookup.lookup, name="lookup"),
]
