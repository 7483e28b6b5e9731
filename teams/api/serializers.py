"""The teams API's serializers: what it answers (scoped to the district, every related
field re-scoped) and the shape of what it takes; the rules stay in teams.services."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from crsys.tenancy.api import (
    DistrictScopedSerializer,
)
from teams import agenda, selectors, services
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


class TeamSerializer(DistrictScopedSerializer):
    layer_name = serializers.CharField(source="layer.name")

    class Meta:
        model = Team
        fields = ["id", "name", "layer", "layer_name", "school", "cycle_weeks", "is_active"]


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
    domain = serializers.SerializerMethodField()
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
        # A DiscussionRecord says what the caller may read; a bare discussion's sensitive
        # note is not shown (failing closed, as a forgotten check must).
        return d.readable if isinstance(d, selectors.DiscussionRecord) else not d.sensitive

    def get_domain(self, d) -> str:
        """The area of concern: its focus area's key, e.g. literacy ("" when none)."""
        return d.focus_area.key if d.focus_area_id else ""

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
        named = d.same_issue if isinstance(d, selectors.DiscussionRecord) else None
        if named is None:
            discussion = d.discussion if isinstance(d, selectors.DiscussionRecord) else d
            named = selectors.same_issue_of(
                discussion=discussion, actor=self.context["request"].actor
            )
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


def section_notes(meeting) -> list[dict]:
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


def conflict_body(result, field) -> dict:
    """What a 409 adds: the field, and the caller's text as kept (null when it was blank)."""
    return {"field": field, "your_text": result.conflict.text if result.conflict else None}
