"""/api/v1/: the token endpoint, then every district's routes under d/<district_slug>/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from districts.api import MembershipViewSet, MeView, TokenView
from schools.api import (
    ClassroomViewSet,
    EnrolmentViewSet,
    SchoolViewSet,
    SchoolYearViewSet,
    StudentViewSet,
)

router = SimpleRouter()
router.register("memberships", MembershipViewSet, basename="membership")
router.register("schools", SchoolViewSet, basename="school")
router.register("school-years", SchoolYearViewSet, basename="schoolyear")
router.register("classrooms", ClassroomViewSet, basename="classroom")
router.register("students", StudentViewSet, basename="student")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")

district_patterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("d/<slug:district_slug>/", include(district_patterns)),
]
