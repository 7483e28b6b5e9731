from django.urls import path

from continuum import effect_views, plan_views, setup_views, views

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
    path("continuum/caseload/", views.caseload, name="caseload"),
    path("continuum/common/", views.common, name="common"),
    path("continuum/working/", effect_views.working, name="working"),
    path("continuum/setup/", setup_views.setup, name="setup"),
    path("continuum/setup/areas/", setup_views.focus_area_add, name="focus_area_add"),
    path(
        "continuum/setup/areas/<int:focus_area_pk>/",
        setup_views.focus_area_change,
        name="focus_area_change",
    ),
    path("continuum/setup/tiers/", setup_views.tier_add, name="tier_add"),
    path("continuum/setup/tiers/<int:tier_pk>/", setup_views.tier_change, name="tier_change"),
    path("continuum/plans/new/", plan_views.plan_new, name="plan_new"),
    path("continuum/plans/<int:plan_pk>/", plan_views.plan_detail, name="plan"),
    path("continuum/plans/<int:plan_pk>/status/", plan_views.plan_status, name="plan_status"),
    path("continuum/plans/<int:plan_pk>/scores/", plan_views.point_add, name="point_add"),
    path(
        "continuum/plans/<int:plan_pk>/scores/<int:point_pk>/remove/",
        plan_views.point_remove,
        name="point_remove",
    ),
]
