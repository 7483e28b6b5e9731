from django.urls import path

from continuum import effect_views, plan_views, resource_views, school_views, setup_views, views

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
    path(
        "continuum/supports/<int:support_pk>/files/",
        resource_views.file_add,
        name="support_file_add",
    ),
    path(
        "continuum/supports/<int:support_pk>/files/<int:supportfile_pk>/",
        resource_views.file_download,
        name="support_file",
    ),
    path(
        "continuum/supports/<int:support_pk>/files/<int:supportfile_pk>/remove/",
        resource_views.file_remove,
        name="support_file_remove",
    ),
    path("continuum/caseload/", views.caseload, name="caseload"),
    path("continuum/common/", views.common, name="common"),
    path("continuum/working/", effect_views.working, name="working"),
    path("continuum/district/", school_views.district_continuum, name="district"),
    path(
        "continuum/district/supports/new/",
        school_views.district_support_form,
        name="district_support_new",
    ),
    path(
        "continuum/district/supports/<int:districtsupport_pk>/",
        school_views.district_support_form,
        name="district_support_edit",
    ),
    path(
        "continuum/district/schools/<int:school_pk>/",
        school_views.school_supports,
        name="district_school",
    ),
    path(
        "continuum/district/schools/<int:school_pk>/tier/",
        school_views.school_tier_set,
        name="district_school_tier",
    ),
    path(
        "continuum/district/schools/<int:school_pk>/assign/",
        school_views.school_support_assign,
        name="district_school_assign",
    ),
    path(
        "continuum/district/assignments/<int:schoolsupportassignment_pk>/end/",
        school_views.school_support_end,
        name="district_assignment_end",
    ),
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
    path("continuum/plans/<int:plan_pk>/change/", plan_views.plan_change, name="plan_change"),
    path("continuum/plans/<int:plan_pk>/scores/", plan_views.point_add, name="point_add"),
    path(
        "continuum/plans/<int:plan_pk>/scores/<int:point_pk>/remove/",
        plan_views.point_remove,
        name="point_remove",
    ),
]
