from django.urls import path, re_path

from teams import meeting_parts, views

app_name = "teams"
urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("common-language/", views.common_language, name="common_language"),
    path("common-language.pdf", views.common_language_pdf, name="common_language_pdf"),
    path("meetings/<int:meeting_pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes"),
    path("teams/<int:team_pk>/", views.team_detail, name="team"),
    path("schools/<int:school_pk>/teams/", views.school_coverage, name="school_coverage"),
    path("schools/<int:school_pk>/teams/new/", views.team_create, name="team_create"),
    path("meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_pk>/organizer/", views.organizer, name="organizer"),
    path(
        "meetings/<int:meeting_pk>/students/",
        meeting_parts.meeting_students,
        name="meeting_students",
    ),
    path(
        "meetings/<int:meeting_pk>/continuum-supports/",
        meeting_parts.meeting_continuum_supports,
        name="meeting_continuum_supports",
    ),
    path(
        "meetings/<int:meeting_pk>/supports-to-check/",
        meeting_parts.meeting_support_alerts,
        name="meeting_support_alerts",
    ),
    path(
        "meetings/<int:meeting_pk>/students/table/",
        meeting_parts.meeting_students_table,
        name="meeting_students_table",
    ),
    path("meetings/<int:meeting_pk>/discussions/", views.discussion_add, name="discussion_add"),
    path(
        "meetings/<int:meeting_pk>/discussions/<int:discussion_pk>/",
        views.discussion_save,
        name="discussion_save",
    ),
    path(
        "meetings/<int:meeting_pk>/discussions/<int:discussion_pk>/editor/",
        meeting_parts.discussion_editor,
        name="discussion_editor",
    ),
    path(
        "meetings/<int:meeting_pk>/discussions/<int:discussion_pk>/same-issue/",
        views.same_issue,
        name="same_issue",
    ),
    re_path(
        r"^meetings/(?P<meeting_pk>[0-9]+)/sections/(?P<section_key>custom-[a-z0-9-]{1,17})/$",
        views.section_note_save,
        name="section_note",
    ),
    path(
        "meetings/<int:meeting_pk>/conflicts/<int:conflict_pk>/dismiss/",
        views.conflict_dismiss,
        name="conflict_dismiss",
    ),
    path("meetings/<int:meeting_pk>/commitments/", views.commitment_add, name="commitment_add"),
    path(
        "meetings/<int:meeting_pk>/commitments/<int:commitment_pk>/",
        views.commitment_review,
        name="commitment_review",
    ),
    path("meetings/<int:meeting_pk>/celebrations/", views.celebration_add, name="celebration_add"),
    path("meetings/<int:meeting_pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:meeting_pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:meeting_pk>/referrals/", views.referral_add, name="referral_add"),
    path(
        "meetings/<int:meeting_pk>/referrals/<int:referral_pk>/",
        views.referral_decide,
        name="referral_decide",
    ),
]
