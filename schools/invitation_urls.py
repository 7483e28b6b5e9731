from django.urls import path

from schools import invitation_views

urlpatterns = [
    path("", invitation_views.invitations, name="invitations"),
    path(
        "<slug:district_slug>/accept/", invitation_views.invitation_accept, name="invitation_accept"
    ),
    path(
        "<slug:district_slug>/decline/",
        invitation_views.invitation_decline,
        name="invitation_decline",
    ),
]
