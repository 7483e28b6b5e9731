"""Meetings through the API: started, read whole, their notes saved against versions (409
on a conflict, nothing lost), kept versions dismissed, closed."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DistrictAPIMixin,
    KeptWritesResponse,
)
from schools import selectors as school_selectors
from teams import permissions, selectors, services
from teams.api.serializers import (
    CelebrationSerializer,
    CommitmentSerializer,
    DiscussionAddSerializer,
    DiscussionConflictSerializer,
    DiscussionSaveSerializer,
    DiscussionSerializer,
    DismissSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    SameIssueSerializer,
    SectionNoteConflictSerializer,
    SectionNoteSaveSerializer,
    SectionNoteSerializer,
    conflict_body,
    section_notes,
)
from teams.models import (
    Meeting,
)


class MeetingViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings of teams the caller may see; members start meetings and record them."""

    serializer_class = MeetingSerializer
    model = Meeting
    lookup_url_kwarg = "meeting_pk"
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    filterset_fields = ["team"]

    def get_district_queryset(self):
        return (
            Meeting.objects.filter(team__in=selectors.visible_teams(actor=self.actor))
            .select_related("team")
            .order_by("-date", "-id")
        )

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        discussions = selectors.meeting_discussions(meeting=meeting, actor=self.actor)
        data = MeetingSerializer(meeting).data
        data.update(
            section_notes=section_notes(meeting),
            discussions=DiscussionSerializer(discussions, many=True).data,
            commitments=CommitmentSerializer(
                selectors.visible_commitments(actor=self.actor).filter(meeting=meeting), many=True
            ).data,
            carried_commitments=CommitmentSerializer(
                selectors.visible_carried_commitments(meeting=meeting, actor=self.actor),
                many=True,
            ).data,
            celebrations=CelebrationSerializer(
                selectors.visible_celebrations(actor=self.actor).filter(meeting=meeting), many=True
            ).data,
        )
        return Response(data)

    def create(self, request, *args, **kwargs):
        payload = MeetingSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        team = selectors.get_team(actor=self.actor, team_pk=request.data.get("team"))
        meeting = services.meeting_create(
            actor=self.actor,
            team=team,
            date=payload.validated_data["date"],
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    def _meeting(self):
        return selectors.get_meeting(actor=self.actor, meeting_pk=self.kwargs["meeting_pk"])

    @extend_schema(
        request=DiscussionAddSerializer,
        responses={201: DiscussionSerializer, 200: DiscussionSerializer},
        description="201 with the new discussion; 200 with the one already there.",
    )
    @action(detail=True, methods=["post"], url_path="discussions")
    def add_discussion(self, request, district_slug=None, meeting_pk=None):
        """Put a student on the meeting's key issues."""
        meeting = self._meeting()
        data = DiscussionAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student = school_selectors.get_student(
            actor=self.actor, student_pk=data.validated_data["student"]
        )
        existed = meeting.discussions.filter(student=student).exists()
        discussion = services.discussion_add(
            actor=self.actor,
            meeting=meeting,
            student=student,
            user=request.user,
        )
        record = selectors.read_discussion(discussion, actor=self.actor, team=meeting.team)
        return Response(
            DiscussionSerializer(record, context={"request": request}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=DiscussionSaveSerializer,
        responses={200: DiscussionSerializer, 409: DiscussionConflictSerializer},
    )
    @action(detail=True, methods=["patch"], url_path=r"discussions/(?P<discussion_pk>[0-9]+)")
    def save_discussion(self, request, district_slug=None, meeting_pk=None, discussion_pk=None):
        """Save one field against the version the edit started from; 409 when someone saved
        in between (the text is kept as a conflict beside theirs, nothing is lost)."""
        meeting = self._meeting()
        discussion = selectors.get_discussion(
            actor=self.actor, meeting=meeting, discussion_pk=discussion_pk
        )
        permissions.require_read_sensitive(self.actor, discussion, meeting.team)
        data = DiscussionSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.discussion_save(
            actor=self.actor,
            discussion=discussion,
            user=request.user,
            **data.validated_data,
        )
        # A sensitive note's reader was checked above.
        record = selectors.DiscussionRecord(result.discussion, readable=True)
        body = DiscussionSerializer(record, context={"request": request}).data
        if result.stale:
            body["conflict"] = conflict_body(result, data.validated_data.get("field"))
            return KeptWritesResponse(body, status=status.HTTP_409_CONFLICT)
        return Response(body)

    @extend_schema(
        request=SectionNoteSaveSerializer,
        responses={200: SectionNoteSerializer, 409: SectionNoteConflictSerializer},
    )
    @action(
        detail=True, methods=["patch"], url_path=r"sections/(?P<section_key>custom-[a-z0-9-]{1,17})"
    )
    def save_section_note(self, request, district_slug=None, meeting_pk=None, section_key=None):
        """Save the notes of one of the agenda's own sections, against the version the edit
        started from; 409 when someone saved in between (kept as a conflict, as above)."""
        meeting = self._meeting()
        data = SectionNoteSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.section_note_save(
            actor=self.actor,
            meeting=meeting,
            key=section_key,
            user=request.user,
            **data.validated_data,
        )
        body = next(row for row in section_notes(meeting) if row["key"] == section_key)
        if result.stale:
            body["conflict"] = conflict_body(result, "text")
            return KeptWritesResponse(body, status=status.HTTP_409_CONFLICT)
        return Response(body)

    @extend_schema(request=DismissSerializer, responses={204: None})
    @action(
        detail=True, methods=["post"], url_path=r"kept-versions/(?P<conflict_pk>[0-9]+)/dismiss"
    )
    def dismiss_kept_version(self, request, district_slug=None, meeting_pk=None, conflict_pk=None):
        """Stop showing a kept version: its words were merged, or are no longer needed."""
        meeting = self._meeting()
        conflict = selectors.get_conflict(meeting=meeting, conflict_pk=conflict_pk)
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.conflict_dismiss(
            actor=self.actor,
            meeting=meeting,
            conflict=conflict,
            seen=data.validated_data.get("seen"),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=SameIssueSerializer, responses=DiscussionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"discussions/(?P<discussion_pk>[0-9]+)/same-issue",
    )
    def same_issue(self, request, district_slug=None, meeting_pk=None, discussion_pk=None):
        """Name (or with ``named: false`` un-name) another student with the same issue."""
        meeting = self._meeting()
        discussion = selectors.get_discussion(
            actor=self.actor, meeting=meeting, discussion_pk=discussion_pk
        )
        data = SameIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student = school_selectors.get_student(
            actor=self.actor, student_pk=data.validated_data["student"]
        )
        services.same_issue_set(
            actor=self.actor,
            discussion=discussion,
            student=student,
            named=data.validated_data["named"],
        )
        # same_issue_set refuses who may not read it.
        record = selectors.DiscussionRecord(discussion, readable=True)
        return Response(DiscussionSerializer(record, context={"request": request}).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, district_slug=None, meeting_pk=None):
        meeting = services.meeting_close(actor=self.actor, meeting=self._meeting())
        return Response(MeetingSerializer(meeting).data)
