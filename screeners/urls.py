from django.urls import path

from screeners import views

app_name = "screeners"
urlpatterns = [
    path("screeners/", views.screener_list, name="screener_list"),
    path("screeners/<int:screener_pk>/", views.screener_detail, name="screener"),
    path(
        "screeners/<int:screener_pk>/copy-bands/",
        views.screener_copy_bands,
        name="screener_copy_bands",
    ),
    path("screeners/<int:screener_pk>/remove/", views.screener_remove, name="screener_remove"),
    path("screening/", views.schedule, name="schedule"),
    path("screening/<int:window_pk>/", views.window_detail, name="window"),
    path(
        "screening/<int:window_pk>/imports/",
        views.result_import_upload,
        name="result_import_upload",
    ),
    path(
        "screening/imports/<int:resultimport_pk>/", views.result_import_detail, name="result_import"
    ),
    path(
        "screening/imports/<int:resultimport_pk>/columns/",
        views.result_import_map_columns,
        name="result_import_map_columns",
    ),
    path(
        "screening/imports/<int:resultimport_pk>/commit/",
        views.result_import_commit,
        name="result_import_commit",
    ),
    path(
        "screening/imports/<int:resultimport_pk>/problems.csv",
        views.result_import_problems,
        name="result_import_problems",
    ),
    path("classrooms/<int:classroom_pk>/screening/", views.result_grid, name="result_grid"),
    path(
        "classrooms/<int:classroom_pk>/screening/<int:window_pk>/cell/",
        views.result_cell,
        name="result_cell",
    ),
    path(
        "classrooms/<int:classroom_pk>/dashboard/",
        views.classroom_dashboard,
        name="classroom_dashboard",
    ),
    path("schools/<int:school_pk>/dashboard/", views.school_dashboard, name="school_dashboard"),
    path(
        "schools/<int:school_pk>/dashboard.pdf",
        views.school_dashboard_pdf,
        name="school_dashboard_pdf",
    ),
]
