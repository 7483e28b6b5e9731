"""Reads about districts, users and memberships."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from crsys.audit.selectors import support_actor
from districts.models import District, Membership, User
from districts.permissions import Actor, actor_from_memberships


def resolve_actor(*, user, district_slug: str) -> tuple[District, Actor, list[District]]:
    """The district of the URL, the user's grants there, and every district the user belongs
    to (for the switcher) — one query, or none when the sign-in backend preloaded them.

    Unknown slug, inactive user and no active membership all give the same 404, so a URL
    never tells whether another district exists.
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such district.")
    mine = getattr(user, "active_memberships", None)  # preloaded by districts.auth
    if mine is None:
        mine = list(
            Membership.objects.unscoped()  # the user's own rows in every district, by design
            .filter(user_id=user.pk, is_active=True)
            .select_related("district")
        )
    here = [m for m in mine if m.district.slug == district_slug]
    if not here:
        support = support_actor(user=user, district_slug=district_slug)
        if support is None:
            raise Http404("No such district.")
        return support[0], support[1], [support[0]]
    district = here[0].district
    districts = sorted({m.district_id: m.district for m in mine}.values(), key=lambda d: d.name)
    return district, actor_from_memberships(user, district, here), districts


def current_actor(*, user, district: District) -> Actor:
    """The user's grants here as the database has them now (``request.actor`` was read at
    the start of the request, before a write that may have changed them)."""
    rows = Membership.objects.filter(user_id=user.pk, is_active=True)
    return actor_from_memberships(user, district, rows)


def active_memberships_of(*, user) -> list[Membership]:
    """The user's active memberships in every district, with their districts (sign-in's
    question "must this person use a second factor?"); preloaded by districts.auth."""
    mine = getattr(user, "active_memberships", None)
    if mine is not None:
        return mine
    return list(
        Membership.objects.unscoped()  # the user's own rows in every district, by design
        .filter(user_id=user.pk, is_active=True)
        .select_related("district")
    )


def districts_of_user(*, user) -> list[District]:
    """The districts where the user holds an active membership (the district switcher)."""
    mine = getattr(user, "active_memberships", None)  # preloaded by districts.auth
    if mine is not None:
        return sorted({m.district_id: m.district for m in mine}.values(), key=lambda d: d.name)
    return list(
        District.objects.filter(
            pk__in=Membership.objects.unscoped()  # a user's own rows across districts, by design
            .filter(user_id=user.pk, is_active=True)
            .values("district_id")
        ).order_by("name")
    )


def district_users(*, district: District) -> QuerySet[User]:
    """The users with an active membership in the district."""
    members = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
    return User.objects.filter(Exists(members))


def district_memberships(*, district: District) -> QuerySet[Membership]:
    return Membership.objects.all().select_related("user", "school").order_by("user__email", "role")


def member_search(
    *, district: District, q: str = "", role: str = "", school=None, active: bool | None = None
) -> QuerySet[Membership]:
    """The members page's list: by name or e-mail (part of either), role, school and whether
    the membership is active; people by name, then their roles."""
    rows = Membership.objects.select_related("user", "school")
    if q:
        rows = rows.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    if role:
        rows = rows.filter(role=role)
    if school is not None:
        rows = rows.filter(school=school)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows.order_by("user__full_name", "user__email", "role", "school__name", "pk")


def other_memberships(*, membership: Membership) -> QuerySet[Membership]:
    """The person's other roles in the same district (shown beside the one being edited)."""
    return (
        Membership.objects.all()
        .filter(user_id=membership.user_id)
        .exclude(pk=membership.pk)
        .select_related("school")
        .order_by("role", "school__name")
    )


def get_membership(*, district: District, membership_pk: int) -> Membership:
    try:
        return district_memberships(district=district).get(pk=membership_pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such membership.") from None
