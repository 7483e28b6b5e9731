"""/api/v1/: the token endpoint, then every district's routes under d/<district_slug>/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from continuum.api import (
    FocusAreaViewSet,
    PlanViewSet,
    PointViewSet,
    SupportViewSet,
    TierViewSet,
)
from continuum.school_api import (
    DistrictSupportViewSet,
    SchoolSupportAssignmentViewSet,
    SchoolSupportTierViewSet,
)
from crsys.audit.api import AuditEventViewSet
from districts.api import MembershipViewSet, MeView, TokenListView, TokenRevokeView, TokenView
from leadership.api import (
    ActionPlanViewSet,
    AreaViewSet,
    CheckInViewSet,
    CommentViewSet,
    EvaluationViewSet,
    GoalViewSet,
    MeasureViewSet,
    PriorityViewSet,
)
from schools.api import (
    ClassroomViewSet,
    EnrolmentViewSet,
    SchoolViewSet,
    SchoolYearViewSet,
    StudentViewSet,
)
from screeners.api import (
    ClassroomSnapshotsView,
    ResultViewSet,
    SchoolSnapshotsView,
    ScreenerViewSet,
    StudentSnapshotsView,
    WindowViewSet,
)
from teams.api import (
    CelebrationViewSet,
    CommitmentViewSet,
    LayerViewSet,
    MeetingViewSet,
    ReferralViewSet,
    TeamViewSet,
)

router = SimpleRouter()
router.register("memberships", MembershipViewSet, basename="membership")
router.register("schools", SchoolViewSet, basename="school")
router.register("school-years", SchoolYearViewSet, basename="schoolyear")
router.register("classrooms", ClassroomViewSet, basename="classroom")
router.register("students", StudentViewSet, basename="student")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("screeners", ScreenerViewSet, basename="screener")
router.register("screening-windows", WindowViewSet, basename="screeningwindow")
router.register("results", ResultViewSet, basename="result")
router.register("focus-areas", FocusAreaViewSet, basename="focusarea")
router.register("tiers", TierViewSet, basename="tier")
router.register("supports", SupportViewSet, basename="support")
router.register("support-plans", PlanViewSet, basename="supportplan")
router.register("progress-points", PointViewSet, basename="progresspoint")
router.register("district-supports", DistrictSupportViewSet, basename="districtsupport")
router.register(
    "school-support-assignments", SchoolSupportAssignmentViewSet, basename="schoolsupportassignment"
)
router.register("school-support-tiers", SchoolSupportTierViewSet, basename="schoolsupporttier")
router.register("assurance-areas", AreaViewSet, basename="assurancearea")
router.register("priorities", PriorityViewSet, basename="priority")
router.register("measures", MeasureViewSet, basename="measure")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("goals", GoalViewSet, basename="goal")
router.register("check-ins", CheckInViewSet, basename="checkin")
router.register("plan-comments", CommentViewSet, basename="plancomment")
router.register("team-layers", LayerViewSet, basename="teamlayer")
router.register("teams", TeamViewSet, basename="team")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("celebrations", CelebrationViewSet, basename="celebration")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("audit-events", AuditEventViewSet, basename="auditevent")

district_patterns = [
    path("me/", MeView.as_view(), name="me"),
    path(
        "snapshots/students/<int:student_pk>/",
        StudentSnapshotsView.as_view(),
        name="student-snapshots",
    ),
    path(
        "snapshots/classrooms/<int:classroom_pk>/",
        ClassroomSnapshotsView.as_view(),
        name="classroom-snapshots",
    ),
    path(
        "snapshots/schools/<int:school_pk>/", SchoolSnapshotsView.as_view(), name="school-snapshots"
    ),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="token_list"),
    path("auth/tokens/<str:token_key>/", TokenRevokeView.as_view(), name="token_revoke"),
    path("d/<slug:district_slug>/", include(district_patterns)),
]
