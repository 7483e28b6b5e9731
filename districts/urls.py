from django.urls import path

from districts import views

app_name = "districts"
urlpatterns = [
    path("", views.home, name="home"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_pk>/", views.member, name="member"),
    path("members/<int:membership_pk>/invite/", views.member_invite, name="member_invite"),
    path(
        "members/<int:membership_pk>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "members/<int:membership_pk>/reactivate/",
        views.member_reactivate,
        name="member_reactivate",
    ),
    path("members/<int:membership_pk>/release/", views.member_release, name="member_release"),
    path("members/<int:membership_pk>/sign-out/", views.member_sign_out, name="member_sign_out"),
    path(
        "members/<int:membership_pk>/tokens/<str:token_key>/revoke/",
        views.member_token_revoke,
        name="member_token_revoke",
    ),
]
