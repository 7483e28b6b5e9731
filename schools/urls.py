from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:school_pk>/", views.school_detail, name="school"),
    path("classrooms/<int:classroom_pk>/", views.classroom_detail, name="classroom"),
    path("students/", views.student_search, name="student_search"),
    path("students/<int:student_pk>/", views.student_detail, name="student"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:import_pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:import_pk>/columns/", views.import_mapping, name="import_mapping"),
    path("imports/<int:import_pk>/commit/", views.import_confirm, name="import_confirm"),
    path(
        "imports/<int:import_pk>/invitations/",
        views.import_send_invitations,
        name="import_invitations",
    ),
    path("imports/<int:import_pk>/people/", views.import_people, name="import_people"),
    path("imports/<int:import_pk>/people.csv", views.import_people_csv, name="import_people_csv"),
    path(
        "imports/<int:import_pk>/problems.csv", views.import_problems_csv, name="import_problems"
    ),  # fmt: skip
]
