"""The district's team layers: made with the district, named and described in its own words
(its "dialect"), each with the agenda its meetings start from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from districts.permissions import Actor
from teams import agenda, permissions
from teams.models import LayerKind, TeamLayer
from teams.services.fields import check_fields

# The agendas a new district's layers start from (it may change them; migrations 0003 and
# 0007 keep their own copies of the defaults of their time).
DEFAULT_PLANNING_AGENDA = [
    {"key": "custom-1", "title": "Learning outcomes and evidence", "minutes": 20},
    {"key": "custom-2", "title": "Plan instruction and assessment together", "minutes": 30},
    {"key": "commitments", "title": "Last week's commitments", "minutes": 10},
]
DEFAULT_SUPPORT_AGENDA = [
    {"key": "celebrations", "title": "Celebrations", "minutes": 5},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
    {"key": "referrals", "title": "Referrals to review", "minutes": 40},
    {"key": "key_issues", "title": "Students we follow", "minutes": 20},
]
DEFAULT_DISTRICT_AGENDA = [
    {"key": "celebrations", "title": "Celebrations", "minutes": 5},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
    {"key": "custom-1", "title": "Schools' data and action plans", "minutes": 45},
]
DEFAULT_CTM_AGENDA = [
    {"key": "celebrations", "title": "Norms and celebrations", "minutes": 10},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 5},
    {"key": "key_issues", "title": "Key issues", "minutes": 45},
    {"key": "referrals", "title": "Students to refer to the school support team", "minutes": 5},
]

DEFAULT_LAYERS = [
    (
        LayerKind.COLLABORATIVE_PLANNING,
        "Collaborative planning",
        "Plan instruction together.",
        "Grade or subject teachers",
        "Weekly",
        DEFAULT_PLANNING_AGENDA,
    ),
    (
        LayerKind.COLLABORATIVE_TEAM_MEETING,
        "Collaborative team meeting",
        "Every student's needs, discussed by the teachers who know them.",
        "Teachers of a grade or division, with a facilitator",
        "Every six weeks",
        DEFAULT_CTM_AGENDA,
    ),
    (
        LayerKind.SCHOOL_SUPPORT_TEAM,
        "School support team",
        "Students referred by collaborative teams; supports beyond the classroom.",
        "Principal, learning support, counsellor",
        "Every two weeks",
        DEFAULT_SUPPORT_AGENDA,
    ),
    (
        LayerKind.DISTRICT_TEAM,
        "District team",
        "Tiers of district support to schools, from their data and action plans.",
        "District leaders",
        "Monthly",
        DEFAULT_DISTRICT_AGENDA,
    ),
]


def layers_ensure(*, district_id: int) -> list[TeamLayer]:
    """The four canonical layers, with default names the district may change (idempotent)."""
    layers = []
    for order, (kind, name, purpose, attendees, frequency, template) in enumerate(DEFAULT_LAYERS):
        layer, _ = TeamLayer.objects.for_district(district_id).get_or_create(
            kind=kind,
            defaults={
                "district_id": district_id,
                "name": name,
                "purpose": purpose,
                "attendees": attendees,
                "frequency": frequency,
                "agenda_template": template,
                "order": order,
            },
        )
        layers.append(layer)
    return layers


@transaction.atomic
def layer_describe(
    *, actor: Actor, layer: TeamLayer, name: str, purpose: str, attendees: str, frequency: str
) -> TeamLayer:
    """The district's own words for a layer (its "dialect")."""
    permissions.require_describe_layers(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "a layer needs a name"})
    layer.name, layer.purpose = name, purpose.strip()
    layer.attendees, layer.frequency = attendees.strip(), frequency.strip()
    check_fields(layer, "name", "purpose", "attendees", "frequency")
    layer.save(update_fields=["name", "purpose", "attendees", "frequency", "updated_at"])
    return layer


@transaction.atomic
def layer_agenda_set(*, actor: Actor, layer: TeamLayer, sections: list[dict]) -> TeamLayer:
    """The layer's agenda template: its meetings from now on start from it."""
    permissions.require_describe_layers(actor)
    layer.agenda_template = agenda.clean(sections)
    layer.save(update_fields=["agenda_template", "updated_at"])
    return layer
