from django.urls import path

from continuum import views

app_name = "continuum"

urlpatterns = [
    path("continuum/", views.continuum_page, name="grid"),
    path("continuum/poster.pdf", views.continuum_poster, name="poster"),
    path("continuum/supports/new/", views.support_new, name="support_new"),
    path("continuum/supports/<int:support_pk>/", views.support_detail, name="support"),
    path("continuum/supports/<int:support_pk>/edit/", views.support_edit, name="support_edit"),
    path(
        "continuum/supports/<int:support_pk>/archive/",
        views.support_archive,
        name="support_archive",
    ),
    path(
        "continuum/supports/<int:support_pk>/promote/",
        views.support_promote,
        name="support_promote",
    ),
]
