from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from crsys.tenancy.models import TenantModel

# A TextField's max_length only sizes a form's box: these validators are what refuse.
UP_TO_2000, UP_TO_4000 = MaxLengthValidator(2000), MaxLengthValidator(4000)


class LayerKind(models.TextChoices):
    """The canonical layers of Collaborative Response; each district names them its own way."""

    COLLABORATIVE_PLANNING = "collaborative_planning", "Collaborative planning"
    COLLABORATIVE_TEAM_MEETING = "ctm", "Collaborative team meeting"
    SCHOOL_SUPPORT_TEAM = "school_support", "School support team"
    DISTRICT_TEAM = "district", "District team"


class TeamLayer(TenantModel):
    kind = models.CharField(max_length=24, choices=LayerKind.choices)
    name = models.CharField(max_length=120, help_text="What the district calls this layer.")
    purpose = models.TextField(blank=True, validators=[UP_TO_2000])
    attendees = models.TextField(blank=True, help_text="Who attends.", validators=[UP_TO_2000])
    frequency = models.CharField(max_length=120, blank=True, help_text="e.g. every six weeks")
    agenda_template = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind"], name="one_layer_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Team(TenantModel):
    layer = models.ForeignKey(TeamLayer, on_delete=models.PROTECT, related_name="teams")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="teams"
    )
    name = models.CharField(max_length=160)
    cycle_weeks = models.PositiveSmallIntegerField(default=6, help_text="Weeks between meetings.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "teams:team", kwargs={"district_slug": self.district.slug, "team_pk": self.pk}
        )


class MeetingRole(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    RECORDER = "recorder", "Recorder"
    TIMEKEEPER = "timekeeper", "Timekeeper"
    MEMBER = "member", "Member"


class TeamMember(TenantModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    meeting_role = models.CharField(
        max_length=12, choices=MeetingRole.choices, default=MeetingRole.MEMBER
    )
    strengths = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["meeting_role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class Meeting(TenantModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    agenda = models.JSONField(default=list, blank=True, help_text="From the layer's template.")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, through="MeetingAttendance"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.team} on {self.date}"

    def get_absolute_url(self) -> str:
        return reverse(
            "teams:meeting",
            kwargs={"district_slug": self.district.slug, "meeting_pk": self.pk},
        )


class MeetingAttendance(TenantModel):
    """Who attended a meeting (the link carries its district like every tenant row)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["meeting_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attended_once")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class Decision(models.TextChoices):
    MONITOR = "monitor", "Monitor"
    ADD_SUPPORT = "add_support", "Add a support"
    REFER = "refer", "Refer to the school support team"


class Discussion(TenantModel):
    """A student discussed at a meeting. Each text has a version: a save made against an
    older version is a conflict, and both texts are kept."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="discussions"
    )
    # The area of concern: one of the district's focus areas (the continuum's list, shared
    # with screeners and supports), kept in the discussion's district by discussion_save.
    focus_area = models.ForeignKey(
        "continuum.FocusArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Area of concern.",
    )
    notes = models.TextField(blank=True)
    strategies = models.TextField(blank=True, help_text="Strategies already tried.")
    supports = models.TextField(blank=True, help_text="Brainstorm of supports, mostly in class.")
    others = models.TextField(blank=True, help_text="Other students with the same issue.")
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    sensitive = models.BooleanField(default=False)
    notes_version = models.PositiveIntegerField(default=1)
    strategies_version = models.PositiveIntegerField(default=1)
    supports_version = models.PositiveIntegerField(default=1)
    others_version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "student"], name="discussed_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} at {self.meeting_id}"


class SameIssueStudent(TenantModel):
    """Another student named, in a key-issue discussion, as having the same issue: when
    several share it, the support may be for the group or the class."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="same_issue_links"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["discussion", "student"], name="named_once")]

    def __str__(self) -> str:
        return f"{self.student_id} like {self.discussion_id}"


class SectionNote(TenantModel):
    """What a team recorded under a section its district added to the agenda ("Learning
    outcomes and evidence"). Built-in sections record into their own things (discussions,
    celebrations...); these are free text, versioned like a discussion's notes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="section_notes")
    key = models.CharField(max_length=24, help_text="The agenda section's key (custom-<n>).")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0, help_text="0 until the first save.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="one_note_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.meeting_id}"


class NoteConflict(TenantModel):
    """A save that arrived against an older version: kept beside the current text. It is of
    a discussion's field, or of a section note (``field`` is then "text")."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    section_note = models.ForeignKey(
        SectionNote, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    field = models.CharField(max_length=16)
    text = models.TextField()
    based_on_version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discussion__isnull=False, section_note__isnull=True)
                | models.Q(discussion__isnull=True, section_note__isnull=False),
                name="conflict_of_one_note",
            )
        ]

    FIELD_LABELS = {
        "notes": "notes",
        "strategies": "strategies tried",
        "supports": "supports to try",
        "others": "same issue",
        "text": "notes",
    }

    def __str__(self) -> str:
        return f"conflict on {self.discussion_id}.{self.field}"

    @property
    def field_label(self) -> str:
        return self.FIELD_LABELS.get(self.field, self.field)

    @property
    def token(self) -> str:
        """Changes whenever the kept text does (its writer may type on): a dismissal names
        the token it read."""
        return f"{self.updated_at.timestamp():.6f}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Commitment(TenantModel):
    """'I will try X by date.' Open ones come back on the team's next agenda."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="commitments")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.CharField(max_length=500)
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    comment = models.CharField(max_length=500, blank=True, help_text="How is it going?")
    reviewed_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_commitments",
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text


class Celebration(TenantModel):
    """A moment of joy: the student (or the team) and the practice that worked."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="celebrations")
    student = models.ForeignKey(
        "schools.Student",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="celebrations",
    )
    text = models.CharField(max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class Referral(TenantModel):
    """A student referred by a collaborative team to its school's support team, with the
    context; the support team's decision flows back to the referring team."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the school support team"
        DECIDED = "decided", "Decided"

    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="referrals"
    )
    from_meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="referrals_made"
    )
    to_team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="referrals")
    context = models.TextField(max_length=4000, validators=[UP_TO_4000])
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decision = models.TextField(max_length=4000, blank=True, validators=[UP_TO_4000])
    decided_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals_decided"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.student_id} to {self.to_team_id}"


class OrganizerPick(TenantModel):
    """Before a meeting, each teacher's pick from their class: a student to celebrate, one
    with a key issue, one to enrich."""

    class Kind(models.TextChoices):
        CELEBRATE = "celebrate", "To celebrate"
        KEY_ISSUE = "key_issue", "Key issue"
        ENRICH = "enrich", "To enrich"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="picks")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "teacher", "kind"], name="one_pick_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.student_id}"
