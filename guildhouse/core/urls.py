from django.urls import path

from guildhouse.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("switch/", views.institution_switch, name="institution_switch"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/remove/", views.person_deactivate, name="person_deactivate"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/accept/", views.invitation_accept, name="invitation_accept"),
    path("invite/<str:token>/", views.invitation_link, name="invitation_link"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("institution/", views.institution_settings, name="institution_settings"),
    path("me/", views.profile, name="profile"),
    path("accounts/mfa-required/", views.mfa_required, name="mfa_required"),
]
