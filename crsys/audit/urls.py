from django.urls import path

from crsys.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.events, name="events"),
    path("audit/events.csv", views.events_csv, name="events_csv"),
    path("students/<int:student_pk>/audit/", views.student_viewers, name="student"),
    path("support-access/", views.support, name="support"),
    path("support-access/<int:supportgrant_pk>/end/", views.support_revoke, name="support_revoke"),
]
