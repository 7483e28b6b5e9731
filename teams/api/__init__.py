"""Teams API: layers, teams, meetings, discussions, commitments, celebrations, referrals,
scoped exactly as the pages are (teams.selectors), written through teams.services. Split by
seam; the viewsets ``crsys/api_urls.py`` routes to, and the serializers, are here."""

from teams.api.follow_up import CelebrationViewSet, CommitmentViewSet, ReferralViewSet
from teams.api.layers import LayerViewSet, TeamViewSet
from teams.api.meetings import MeetingViewSet
from teams.api.serializers import (
    CelebrationSerializer,
    CommitmentSerializer,
    DiscussionSerializer,
    LayerSerializer,
    MeetingSerializer,
    ReferralSerializer,
    TeamSerializer,
)

__all__ = [
    "CelebrationSerializer",
    "CelebrationViewSet",
    "CommitmentSerializer",
    "CommitmentViewSet",
    "DiscussionSerializer",
    "LayerSerializer",
    "LayerViewSet",
    "MeetingSerializer",
    "MeetingViewSet",
    "ReferralSerializer",
    "ReferralViewSet",
    "TeamSerializer",
    "TeamViewSet",
]
