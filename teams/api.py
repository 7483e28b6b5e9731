"""Teams API: layers, teams, meetings, discussions, commitments, celebrations, referrals —
scoped exactly as the pages are (teams.selectors), written through teams.services."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DistrictAPIMixin,
    DistrictScopedSerializer,
    KeptWritesResponse,
)
from districts.permissions import Capability
from schools import selectors as school_selectors
from teams import agenda, permissions, selectors, services
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    Discussion,
    Meeting,
    NoteConflict,
    Referral,
    Team,
    TeamLayer,
)


class LayerSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamLayer
        fields = ["id", "kind", "name", "purpose", "attendees", "frequency", "agenda_template"]


class LayerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    purpose = serializers.CharField(allow_blank=True, max_length=2000, required=False)
    attendees = serializers.CharField(allow_blank=True, max_length=2000, required=False)
    frequency = serializers.CharField(allow_blank=True, max_length=120, required=False)
    agenda_template = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text='Sections in order: [{"key": "key_issues", "title": "Key issues", '
        '"minutes": 45}, …]; built-in keys are celebrations, commitments, key_issues and '
        "referrals; leave the key out for a section of your own.",
    )


class LayerViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The district's team layers: their names, descriptions and agenda templates (its
    common language). District admins change them."""

    serializer_class = LayerSerializer
    model = TeamLayer
    pagination_class = None
    write_capability = Capability.MANAGE_DISTRICT
    http_method_names = ["get", "patch", "head", "options"]
    lookup_url_kwarg = "teamlayer_pk"
    service_field_names = {"agenda": "agenda_template"}

    def get_district_queryset(self):
        return TeamLayer.objects.for_district(self.district)

    @extend_schema(request=LayerWriteSerializer, responses=LayerSerializer)
    def partial_update(self, request, *args, **kwargs):
        layer = self.get_object()
        data = LayerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = data.validated_data
        if changes.keys() - {"agenda_template"}:
            services.layer_describe(
                actor=self.actor,
                layer=layer,
                **{
                    f: changes.get(f, getattr(layer, f))
                    for f in ("name", "purpose", "attendees", "frequency")
                },
            )
        if "agenda_template" in changes:
            services.layer_agenda_set(
                actor=self.actor, layer=layer, sections=changes["agenda_template"]
            )
        return Response(LayerSerializer(layer).data)


class TeamSerializer(DistrictScopedSerializer):
    layer_name = serializers.CharField(source="layer.name")

    class Meta:
        model = Team
        fields = ["id", "name", "layer", "layer_name", "school", "cycle_weeks", "is_active"]


class TeamViewSet(DistrictAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    model = Team
    lookup_url_kwarg = "team_pk"
    filterset_fields = ["school", "layer", "is_active"]

    def get_district_queryset(self):
        return selectors.visible_teams(actor=self.actor).order_by("name")


class KeptVersionSerializer(serializers.ModelSerializer):
    """A save that came against an older version, kept beside the newer text."""

    class Meta:
        model = NoteConflict
        fields = ["id", "field", "text", "author", "based_on_version", "updated_at", "token"]


def _kept_versions(note, conflicts_of) -> list[dict]:
    kept = getattr(note, "open_conflicts", None)
    if kept is None:
        kept = conflicts_of.filter(resolved=False)
    return KeptVersionSerializer(kept, many=True).data


class DiscussionSerializer(DistrictScopedSerializer):
    kept_versions = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    strategies = serializers.SerializerMethodField()
    supports = serializers.SerializerMethodField()
    others = serializers.SerializerMethodField()
    same_issue_students = serializers.SerializerMethodField()

    class Meta:
        model = Discussion
        fields = [
            "id",
            "meeting",
            "student",
            "domain",
            "notes",
            "strategies",
            "supports",
            "others",
            "same_issue_students",
            "decision",
            "sensitive",
            "notes_version",
            "strategies_version",
            "supports_version",
            "others_version",
            "kept_versions",
        ]

    def _readable(self, d) -> bool:
        # Views set ``readable`` from the caller's rights; without it a sensitive note is
        # not shown (failing closed, as a forgotten check must).
        return getattr(d, "readable", not d.sensitive)

    @extend_schema_field(KeptVersionSerializer(many=True, allow_null=True))
    def get_kept_versions(self, d):
        """Saves made against an older version, not yet dismissed (null when sensitive and
        the caller may not read it)."""
        return _kept_versions(d, d.conflicts) if self._readable(d) else None

    def get_notes(self, d) -> str | None:
        """Null when the note is sensitive and the caller may not read it."""
        return d.notes if self._readable(d) else None

    def get_strategies(self, d) -> str | None:
        return d.strategies if self._readable(d) else None

    def get_supports(self, d) -> str | None:
        return d.supports if self._readable(d) else None

    def get_others(self, d) -> str | None:
        return d.others if self._readable(d) else None

    def get_same_issue_students(self, d) -> list[int] | None:
        """Ids of the other students named with the same issue."""
        if not self._readable(d):
            return None
        named = getattr(d, "same_issue", None)
        if named is None:
            named = selectors.same_issue_of(discussion=d, actor=self.context["request"].actor)
        return [s.pk for s in named]


class CommitmentSerializer(DistrictScopedSerializer):
    class Meta:
        model = Commitment
        fields = [
            "id",
            "team",
            "meeting",
            "student",
            "owner",
            "text",
            "due_date",
            "status",
            "comment",
            "reviewed_at",
        ]
        read_only_fields = ["team", "status", "comment", "reviewed_at"]


class CelebrationSerializer(DistrictScopedSerializer):
    class Meta:
        model = Celebration
        fields = ["id", "meeting", "student", "text"]


class ReferralSerializer(DistrictScopedSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "student",
            "from_meeting",
            "to_team",
            "context",
            "status",
            "decision",
            "decided_at",
        ]
        read_only_fields = ["to_team", "status", "decision", "decided_at"]


class MeetingSerializer(DistrictScopedSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "team", "date", "agenda", "closed_at"]
        read_only_fields = ["agenda", "closed_at"]


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "boolean"}]})
class NoteValueField(serializers.Field):
    """A text (at most the note limit), a choice's value, or true/false for ``sensitive``."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if not isinstance(data, str):
            raise serializers.ValidationError("give a text, or true or false for sensitive")
        if len(data) > services.NOTE_LIMIT:
            raise serializers.ValidationError(
                f"{len(data):,} characters; the limit is {services.NOTE_LIMIT:,}"
            )
        return data

    def to_representation(self, value):
        return value


def _version_field(**kwargs):
    return serializers.IntegerField(min_value=0, max_value=services.MAX_VERSION, **kwargs)


class ConflictSerializer(serializers.Serializer):
    field = serializers.CharField()
    your_text = serializers.CharField(
        allow_null=True, help_text="Your text, kept beside theirs (null: it was blank)."
    )


class SectionNoteSerializer(serializers.Serializer):
    """The notes under one of the agenda's own sections (version 0: none saved yet)."""

    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    kept_versions = KeptVersionSerializer(many=True)


class DismissSerializer(serializers.Serializer):
    seen = serializers.CharField(
        required=False,
        help_text="The kept version's token as you read it: refused (400) if it changed since.",
    )


class SectionNoteSaveSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True, max_length=services.NOTE_LIMIT, trim_whitespace=False
    )
    version = _version_field(
        required=False, default=0, help_text="The version the edit started from (0: the first)."
    )


class SectionNoteConflictSerializer(SectionNoteSerializer):
    """409: someone saved the notes in between. Theirs is in ``text``; yours is kept."""

    conflict = ConflictSerializer()


def _section_notes(meeting) -> list[dict]:
    notes = selectors.meeting_section_notes(meeting=meeting)
    rows = []
    for section in agenda.custom_sections(meeting.agenda):
        note = notes.get(section["key"])
        rows.append(
            {
                "key": section["key"],
                "title": section["title"],
                "text": note.text if note else "",
                "version": note.version if note else 0,
                "kept_versions": note.open_conflicts if note else [],
            }
        )
    return SectionNoteSerializer(rows, many=True).data


class MeetingDetailSerializer(MeetingSerializer):
    discussions = DiscussionSerializer(many=True)
    commitments = CommitmentSerializer(many=True)
    carried_commitments = CommitmentSerializer(many=True)
    celebrations = CelebrationSerializer(many=True)
    section_notes = SectionNoteSerializer(many=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "section_notes",
            "discussions",
            "commitments",
            "carried_commitments",
            "celebrations",
        ]


class DiscussionAddSerializer(serializers.Serializer):
    student = serializers.IntegerField()


class DiscussionSaveSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        ["notes", "strategies", "supports", "others", "decision", "domain", "sensitive"]
    )
    value = NoteValueField()
    version = _version_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="For notes, strategies, supports and others (required): the field's "
        "version your edit started from (notes_version, ...).",
    )

    def validate(self, data):
        if isinstance(data["value"], bool) and data["field"] != "sensitive":
            raise serializers.ValidationError({"value": f"give {data['field']} as a text"})
        if data["field"] in services.TEXT_FIELDS and data.get("version") is None:
            raise serializers.ValidationError(
                {"version": f"give the {data['field']}_version your edit started from"}
            )
        return data


class DiscussionConflictSerializer(DiscussionSerializer):
    """409: someone saved the field in between. Theirs is in the field; yours is kept."""

    conflict = ConflictSerializer()

    class Meta(DiscussionSerializer.Meta):
        fields = [*DiscussionSerializer.Meta.fields, "conflict"]


class SameIssueSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    named = serializers.BooleanField(
        default=True, help_text="false takes the student off the discussion's list."
    )


class ReviewSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    status = serializers.ChoiceField(CommitmentStatus.choices)
    comment = serializers.CharField(allow_blank=True, max_length=500, required=False, default="")


class DecideSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    decision = serializers.CharField(max_length=4000)


def _conflict_body(result, field) -> dict:
    """What a 409 adds: the field, and the caller's text as kept (null when it was blank)."""
    return {"field": field, "your_text": result.conflict.text if result.conflict else None}


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
            Meeting.objects.for_district(self.district)
            .filter(team__in=selectors.visible_teams(actor=self.actor))
            .select_related("team")
            .order_by("-date", "-id")
        )

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        discussions = selectors.meeting_discussions(meeting=meeting, actor=self.actor)
        meeting.carried_commitments = selectors.carried_commitments(meeting=meeting)
        meeting.discussions_list = discussions
        data = MeetingSerializer(meeting).data
        data.update(
            section_notes=_section_notes(meeting),
            discussions=DiscussionSerializer(discussions, many=True).data,
            commitments=CommitmentSerializer(
                selectors.visible_commitments(actor=self.actor).filter(meeting=meeting), many=True
            ).data,
            carried_commitments=CommitmentSerializer(
                meeting.carried_commitments.filter(
                    pk__in=selectors.visible_commitments(actor=self.actor).values("pk")
                ),
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
        discussion.readable = not discussion.sensitive or permissions.can_read_sensitive(
            self.actor, discussion, meeting.team
        )
        return Response(
            DiscussionSerializer(discussion, context={"request": request}).data,
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
        discussion = (
            selectors.visible_discussions(actor=self.actor)
            .filter(meeting=meeting, pk=discussion_pk)
            .first()
        )
        if discussion is None:
            raise exceptions.NotFound("No such discussion.")
        if discussion.sensitive and not permissions.can_read_sensitive(
            self.actor, discussion, meeting.team
        ):
            raise exceptions.PermissionDenied()
        data = DiscussionSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.discussion_save(
            actor=self.actor,
            discussion=discussion,
            user=request.user,
            **data.validated_data,
        )
        result.discussion.readable = True  # a sensitive note's reader was checked above
        body = DiscussionSerializer(result.discussion, context={"request": request}).data
        if result.stale:
            body["conflict"] = _conflict_body(result, data.validated_data.get("field"))
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
        body = next(row for row in _section_notes(meeting) if row["key"] == section_key)
        if result.stale:
            body["conflict"] = _conflict_body(result, "text")
            return KeptWritesResponse(body, status=status.HTTP_409_CONFLICT)
        return Response(body)

    @extend_schema(request=DismissSerializer, responses={204: None})
    @action(
        detail=True, methods=["post"], url_path=r"kept-versions/(?P<conflict_pk>[0-9]+)/dismiss"
    )
    def dismiss_kept_version(self, request, district_slug=None, meeting_pk=None, conflict_pk=None):
        """Stop showing a kept version: its words were merged, or are no longer needed."""
        meeting = self._meeting()
        conflict = selectors.meeting_conflicts(meeting=meeting).filter(pk=conflict_pk).first()
        if conflict is None:
            raise exceptions.NotFound("No such kept version.")
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
        discussion = (
            selectors.visible_discussions(actor=self.actor)
            .filter(meeting=meeting, pk=discussion_pk)
            .first()
        )
        if discussion is None:
            raise exceptions.NotFound("No such discussion.")
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
        discussion.readable = True  # same_issue_set refuses who may not read it
        return Response(DiscussionSerializer(discussion, context={"request": request}).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, district_slug=None, meeting_pk=None):
        meeting = services.meeting_close(actor=self.actor, meeting=self._meeting())
        return Response(MeetingSerializer(meeting).data)


class CommitmentFilter(django_filters.FilterSet):
    # Not a model choice: that would answer differently for another district's user (no
    # rows) than for an id nobody has (invalid choice). Anything but an id matches nothing.
    owner = django_filters.CharFilter(method="owner_is", help_text="A user's id.")

    def owner_is(self, queryset, name, value):
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(owner_id=int(value))

    class Meta:
        model = Commitment
        fields = ["team", "meeting", "status", "owner"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("mine", bool, description="true: only the caller's open commitments.")
        ]
    )
)
class CommitmentViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Commitments of visible teams ('mine=true': the caller's open ones)."""

    serializer_class = CommitmentSerializer
    model = Commitment
    lookup_url_kwarg = "commitment_pk"
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    filterset_class = CommitmentFilter

    def get_district_queryset(self):
        if self.request.query_params.get("mine") == "true":
            return selectors.open_commitments_of(actor=self.actor)
        return selectors.visible_commitments(actor=self.actor).order_by("due_date")

    def create(self, request, *args, **kwargs):
        payload = CommitmentSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=request.data.get("meeting"))
        data = payload.validated_data
        student = data.get("student")
        if student is not None:
            student = school_selectors.get_student(actor=self.actor, student_pk=student.pk)
        commitment = services.commitment_add(
            actor=self.actor,
            meeting=meeting,
            owner_id=data["owner"].pk,
            text=data["text"],
            due_date=data["due_date"],
            student=student,
        )
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request, district_slug=None, commitment_pk=None):
        """'How is it going?' — at a later meeting of the same team."""
        self.get_object()  # a commitment the caller cannot see is a 404, whatever the body
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=data.validated_data["meeting"])
        commitment = selectors.carried_commitments(meeting=meeting).filter(pk=commitment_pk).first()
        if commitment is None:
            raise exceptions.NotFound("No such commitment on that meeting's agenda.")
        commitment = services.commitment_review(
            actor=self.actor,
            commitment=commitment,
            meeting=meeting,
            status=data.validated_data["status"],
            comment=data.validated_data["comment"],
        )
        return Response(CommitmentSerializer(commitment).data)


class CelebrationViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Moments of joy recorded at meetings of visible teams."""

    serializer_class = CelebrationSerializer
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    model = Celebration
    filterset_fields = ["meeting", "student"]

    def get_district_queryset(self):
        return selectors.visible_celebrations(actor=self.actor)

    def create(self, request, *args, **kwargs):
        payload = CelebrationSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=request.data.get("meeting"))
        student = payload.validated_data.get("student")
        if student is not None:
            student = school_selectors.get_student(actor=self.actor, student_pk=student.pk)
        celebration = services.celebration_add(
            actor=self.actor,
            meeting=meeting,
            text=payload.validated_data["text"],
            student=student,
            user=request.user,
        )
        return Response(CelebrationSerializer(celebration).data, status=status.HTTP_201_CREATED)


class ReferralViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals made by or to visible teams; the support team records its decision."""

    serializer_class = ReferralSerializer
    model = Referral
    lookup_url_kwarg = "referral_pk"
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    filterset_fields = ["status", "student", "to_team"]

    def get_district_queryset(self):
        return selectors.visible_referrals(actor=self.actor)

    def create(self, request, *args, **kwargs):
        payload = ReferralSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(
            actor=self.actor, meeting_pk=request.data.get("from_meeting")
        )
        student = school_selectors.get_student(
            actor=self.actor, student_pk=payload.validated_data["student"].pk
        )
        referral = services.referral_create(
            actor=self.actor,
            meeting=meeting,
            student=student,
            context=payload.validated_data["context"],
            user=request.user,
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request, district_slug=None, referral_pk=None):
        self.get_object()  # a referral the caller cannot see is a 404, whatever the body
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=data.validated_data["meeting"])
        referral = selectors.referrals_to_review(meeting=meeting).filter(pk=referral_pk).first()
        if referral is None:
            raise exceptions.NotFound("No such referral for that meeting's team.")
        referral = services.referral_decide(
            actor=self.actor,
            referral=referral,
            meeting=meeting,
            decision=data.validated_data["decision"],
        )
        return Response(ReferralSerializer(referral).data)
