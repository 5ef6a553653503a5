from django.urls import path

from guildhouse.jobs import views

urlpatterns = [
    path("<int:pk>/", views.job_status, name="job_status"),
]
