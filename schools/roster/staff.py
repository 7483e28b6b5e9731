"""Staff accounts and the roles an import gives them.

``staff_accounts`` matches each staff row to an account by the normal form of its address,
creating the missing ones on commit (stand-in ids in a dry run). ``role_plan`` then says, by
name, whose role is granted, removed, offered by invitation or no longer offered; the dry run
shows that list and the commit writes exactly it. Rules (ADR 7): an import never changes the
roles of the person running it, and never attaches an account that belongs to another district
or to a platform operator; those get a ``PendingMembership`` that its owner accepts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from crsys.imports.problems import Problem
from districts.models import Membership, Role, User
from schools.models import PendingMembership, School, StaffRole
from schools.roster.outside import needs_invitation

if TYPE_CHECKING:  # pragma: no cover
    from schools.roster.apply import Plan

#: OneRoster user roles crsys turns into memberships (the roster's ``role`` column values).
MEMBERSHIP_ROLES = {
    "teacher": Role.TEACHER,
    "principal": Role.PRINCIPAL,
    "support_staff": Role.SUPPORT_STAFF,
}
#: District staff (``roles.DISTRICT_STAFF``): one membership without a school.
DISTRICT_ROLES = {"district_leader": Role.DISTRICT_LEADER}
STAFF_ROLE_FOR = {
    "teacher": StaffRole.TEACHER,
    "principal": StaffRole.PRINCIPAL,
    "support_staff": StaffRole.SUPPORT,
}
#: RFC 2606 reserves ``.invalid``: such an address can never reach or belong to anyone.
NO_SIGN_IN_DOMAIN = "no-sign-in.invalid"


def no_sign_in_email(district_id: int, sourced_id: str) -> str:
    """The stable address of a staff member imported without a sign-in (no usable or a shared
    e-mail): their account holds their name for class lists, and can never sign in."""
    digest = hashlib.sha256(f"{district_id}:{sourced_id}".encode()).hexdigest()[:24]
    return f"staff-{digest}@{NO_SIGN_IN_DOMAIN}"


@dataclass
class StaffAccounts:
    #: staff sourcedId -> account id (negative: an account the commit will create)
    user_ids: dict[str, int] = field(default_factory=dict)
    #: staff sourcedIds whose account can sign in (a real, unshared address)
    signs_in: set[str] = field(default_factory=set)
    #: existing accounts this import may only invite
    invite: set[int] = field(default_factory=set)


def staff_accounts(district_id: int, staff: pd.DataFrame, *, commit: bool) -> StaffAccounts:
    live = staff[staff["active"]]
    if live.empty:
        return StaffAccounts()
    address = {
        sid: email or no_sign_in_email(district_id, sid)
        for sid, email in zip(live["sourced_id"], live["email"], strict=True)
    }
    names = dict(zip(live["sourced_id"], live["full_name"], strict=True))
    found = dict(User.objects.filter(email__in=set(address.values())).values_list("email", "id"))
    existing = {found[a] for sid, a in address.items() if a in found and sid_signs_in(a)}
    missing = {a: names[sid] for sid, a in address.items() if a not in found}
    if commit and missing:
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(email=a, full_name=name, password=unusable, is_active=sid_signs_in(a))
                for a, name in missing.items()
            ],
            batch_size=2_000,
        )
        found = dict(
            User.objects.filter(email__in=set(address.values())).values_list("email", "id")
        )
    else:
        found |= {a: -(n + 1) for n, a in enumerate(sorted(missing))}
    return StaffAccounts(
        user_ids={sid: found[a] for sid, a in address.items()},
        signs_in={sid for sid, a in address.items() if sid_signs_in(a)},
        invite=needs_invitation(district_id, existing),
    )


def sid_signs_in(address: str) -> bool:
    return not address.endswith("@" + NO_SIGN_IN_DOMAIN)


@dataclass
class RolePlan:
    changes: list[dict]
    #: (user_id, role, school_id) keys per change kind, for the commit
    keys: dict[str, set[tuple]]
    #: memberships by key: (pk, is_active); pending invitations by key: pk
    memberships: dict[tuple, tuple[int, bool]]
    pending: dict[tuple, int]


def role_plan(
    *,
    district_id: int,
    staff: pd.DataFrame,
    accounts: StaffAccounts,
    school_refs: dict[str, int | str],
    school_names: dict[int | str, str],
    managed_users: set[int],
    placed_after: set[int],
    stored_staff: dict[str, int],
) -> RolePlan:
    """What the import does to roles. ``school_refs`` maps a school sourcedId to its id, or to
    ``"new:<sid>"`` for a school a dry run has not created; ``managed_users`` are accounts the
    roster placed before, ``placed_after`` those it still places after this import;
    ``stored_staff`` maps staff sourcedIds stored before to their accounts."""
    wanted: dict[tuple, pd.Series] = {}
    for r in staff[staff["active"]].itertuples():
        if r.sourced_id not in accounts.signs_in:
            continue
        if r.role in DISTRICT_ROLES:
            wanted[(accounts.user_ids[r.sourced_id], DISTRICT_ROLES[r.role], None)] = r
            continue
        role = MEMBERSHIP_ROLES[r.role]
        for school_sid in r.school_sids:
            if school_sid in school_refs:
                wanted[(accounts.user_ids[r.sourced_id], role, school_refs[school_sid])] = r
    memberships = {
        (user, role, school): (pk, active)
        for pk, user, role, school, active in Membership.objects.all()
        .filter(
            Q(school__isnull=False, role__in=MEMBERSHIP_ROLES.values())
            | Q(school__isnull=True, role__in=DISTRICT_ROLES.values())
        )
        .values_list("id", "user_id", "role", "school_id", "is_active")
    }
    pending = {
        (user, role, school): pk
        for pk, user, role, school in PendingMembership.objects.values_list(
            "id", "user_id", "role", "school_id"
        )
    }
    listed = {user for (user, _, _) in wanted}
    # District staff hold no school placement for ``managed_users`` to find: a tobedeleted
    # row (matched by address) ends their roles, as a live row without the role does.
    leaving = set(staff.loc[~staff["active"] & (staff["email"] != ""), "email"])
    listed |= set(User.objects.filter(email__in=leaving).values_list("pk", flat=True))

    def governed_by_file(user: int) -> bool:
        # Roles given by hand to people the roster never placed are not the import's to end.
        return user in listed or (user in managed_users and user not in placed_after)

    keys: dict[str, set[tuple]] = {
        "grant": set(),
        "remove": set(),
        "invite": set(),
        "cancel": set(),
    }
    for key in wanted:
        if key[0] in accounts.invite:
            if key not in pending:
                keys["invite"].add(key)
        elif key not in memberships or not memberships[key][1]:
            keys["grant"].add(key)
    keys["remove"] = {
        key
        for key, (_, active) in memberships.items()
        if active and key not in wanted and governed_by_file(key[0])
    }
    keys["cancel"] = {key for key in pending if key not in wanted and governed_by_file(key[0])}

    account_of = stored_staff | accounts.user_ids
    # A live row wins over a tobedeleted one of the same person (a re-keyed record).
    rows_by_user = {
        account_of[r.sourced_id]: r
        for r in staff.sort_values("active").itertuples()
        if r.sourced_id in account_of
    }
    others = {k[0] for k in keys["remove"] | keys["cancel"]} - set(rows_by_user)
    people = {
        pk: (name or email, email)
        for pk, name, email in User.objects.filter(pk__in=others).values_list(
            "pk", "full_name", "email"
        )
    }
    changes = []
    for change, change_keys in keys.items():
        for user, role, school in change_keys:
            r = wanted.get((user, role, school)) or rows_by_user.get(user)
            name, email = (r.full_name, r.email) if r is not None else people.get(user, ("", ""))
            changes.append(
                {
                    "change": change,
                    "user_id": user,
                    "name": name or email,
                    "email": email,
                    "role": Role(role).label,
                    "school_id": school,
                    "school": school_names.get(school, ""),
                    "row": int(r.row) if r is not None else None,
                    "words": describe(change, Role(role).label, school_names.get(school, "")),
                }
            )
    changes.sort(key=lambda c: (c["name"].lower(), c["school"], c["role"], c["change"]))
    return RolePlan(changes=changes, keys=keys, memberships=memberships, pending=pending)


def describe(change: str, role_label: str, school: str) -> str:
    role = role_label.lower()
    place = f"{'of' if role in {'principal', 'vice-principal'} else 'at'} {school}"
    if not school:
        place = "(district staff: reads every school)"
    return {
        "grant": f"becomes {role} {place}",
        "remove": f"stops being {role} {place}",
        "invite": f"is invited to be {role} {place}: this address already has a crsys account; "
        "it joins only on accepting",
        "cancel": f"is no longer invited to be {role} {place}",
    }[change]


def actor_problems(
    plan: RolePlan, actor_user_ids: frozenset[int], staff: pd.DataFrame
) -> list[Problem]:
    """An import never changes the roles of the person running it: each row that would is
    refused by name (a removal by absence names the file)."""
    problems = []
    for c in plan.changes:
        if c["user_id"] not in actor_user_ids:
            continue
        problems.append(
            Problem(
                "users.csv",
                c["row"],
                "role" if c["row"] is not None else None,
                f"this would change your own roles ({c['name']} {c['words']}); an import never "
                "changes the roles of the person running it: remove the row, or have another "
                "district admin run this import",
            )
        )
    return problems


def write_roles(*, district_id: int, plan: RolePlan, roster_import_id: int | None) -> None:
    """The commit's half of ``role_plan`` (every id is real by now)."""
    grant = plan.keys["grant"]
    Membership.objects.bulk_create(
        [
            Membership(district_id=district_id, user_id=u, role=role, school_id=s)
            for (u, role, s) in grant
            if (u, role, s) not in plan.memberships
        ],
        batch_size=2_000,
    )
    scoped = Membership.objects.all()
    reactivate = [plan.memberships[k][0] for k in grant if k in plan.memberships]
    if reactivate:
        scoped.filter(pk__in=reactivate).update(is_active=True)
    remove = [plan.memberships[k][0] for k in plan.keys["remove"]]
    if remove:
        scoped.filter(pk__in=remove).update(is_active=False)
    PendingMembership.objects.bulk_create(
        [
            PendingMembership(
                district_id=district_id,
                user_id=u,
                role=role,
                school_id=s,
                roster_import_id=roster_import_id,
            )
            for (u, role, s) in plan.keys["invite"]
        ],
        batch_size=2_000,
    )
    cancel = [plan.pending[k] for k in plan.keys["cancel"]]
    if cancel:
        PendingMembership.objects.filter(pk__in=cancel).delete()


def placed_after(staff_plan: Plan) -> set[int]:
    """Accounts with a school placement once the staff plan is applied."""
    existing = staff_plan.existing
    changed = set(staff_plan.withdraw_ids) | set(staff_plan.updates["id"])
    kept = existing[existing["is_active"] & ~existing["id"].isin(changed)]
    return (
        set(kept["user_id"].astype("int64"))
        | set(staff_plan.updates["user_id"].astype("int64"))
        | set(staff_plan.creates["user_id"].astype("int64"))
    )


def school_assignments(staff: pd.DataFrame, schools, user_ids) -> pd.DataFrame:
    rows = []
    for r in staff.itertuples():
        for school_sid in r.school_sids:
            rows.append(
                {
                    "sourced_id": f"{r.sourced_id}@{school_sid}",
                    "user_id": user_ids.get(r.sourced_id, -1),
                    "school_id": schools.get(school_sid, -1),
                    "role": STAFF_ROLE_FOR.get(r.role, StaffRole.TEACHER).value,
                    "user_sourced_id": r.sourced_id,
                    "active": r.active,
                }
            )
    columns = ["sourced_id", "user_id", "school_id", "role", "user_sourced_id", "active"]
    return pd.DataFrame(rows, columns=columns)


def school_names(district_id: int, incoming: pd.DataFrame) -> dict[int | str, str]:
    names: dict[int | str, str] = dict(School.objects.values_list("id", "name"))
    names |= {f"new:{sid}": n for sid, n in zip(incoming["sourced_id"], incoming["name"],
                                                strict=True)}  # fmt: skip
    return names
