"""A layer's agenda template: ordered sections, each with a title and minutes.

Four sections are built in, because the meeting page records into them (celebrations, last
meeting's commitments, key issues, referrals); a district renames, re-times, reorders or leaves
them out, and adds its own. A meeting copies its layer's template when it is created, so a
change applies to meetings from then on. A built-in section that a meeting's agenda leaves out
still appears after it (untimed) when it holds something, so nothing recorded is ever hidden.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

BUILT_IN = {
    "celebrations": "Norms and celebrations",
    "commitments": "Last meeting's commitments",
    "key_issues": "Key issues",
    "referrals": "Students to refer to the school support team",
}
MAX_SECTIONS = 12
MAX_MINUTES = 240
MAX_TITLE = 120
# A section's key is in URLs (a section's notes are saved at .../sections/<key>/).
CUSTOM_KEY = re.compile(r"custom-[a-z0-9-]{1,17}")


def clean(sections: list[dict]) -> list[dict]:
    """The template as stored: sections in order, built-in keys once each, custom sections
    keyed ``custom-<n>``. Raises ValidationError naming the section (1-based) and field."""
    if not isinstance(sections, list) or not sections:
        raise ValidationError({"agenda": "an agenda needs at least one section"})
    if len(sections) > MAX_SECTIONS:
        raise ValidationError({"agenda": f"at most {MAX_SECTIONS} sections"})
    errors, cleaned, seen = [], [], set()
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            errors.append(f"section {number}: give a title and minutes")
            continue
        key = str(section.get("key") or "")
        title = str(section.get("title") or "").strip()
        minutes = section.get("minutes")
        if key and key not in BUILT_IN and not CUSTOM_KEY.fullmatch(key):
            errors.append(f"section {number}: unknown key {key[:40]!r}")
        if key and key in seen:  # new sections come without a key, as many as added
            errors.append(f"section {number}: {BUILT_IN.get(key, key)!r} is already on the agenda")
        if not title:
            errors.append(f"section {number}: the title is empty")
        elif len(title) > MAX_TITLE:
            errors.append(f"section {number}: the title is longer than {MAX_TITLE} characters")
        try:
            minutes = int(str(minutes).strip())
            if not 1 <= minutes <= MAX_MINUTES:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(f"section {number}: minutes must be a whole number from 1 to 240")
        seen.add(key)
        cleaned.append({"key": key, "title": title, "minutes": minutes})
    if errors:
        raise ValidationError({"agenda": errors})
    used = {s["key"] for s in cleaned}
    number = 1
    for section in cleaned:
        if not section["key"]:
            while f"custom-{number}" in used:
                number += 1
            section["key"] = f"custom-{number}"
            used.add(section["key"])
    return cleaned


def sections_for_page(agenda: list[dict], holding: set[str]) -> list[dict]:
    """A meeting's sections in order: its agenda, then each built-in section it leaves out
    that is ``holding`` something (untimed). With no agenda at all, every built-in section."""
    sections = _keyed(agenda)
    present = {s["key"] for s in sections}
    sections += [
        {"key": key, "title": title, "minutes": None}
        for key, title in BUILT_IN.items()
        if key not in present and (key in holding or not sections)
    ]
    return sections


def custom_sections(agenda: list[dict]) -> list[dict]:
    """The sections a district added, in order (they hold free-text notes)."""
    return [s for s in _keyed(agenda) if s["key"] not in BUILT_IN]


def custom_keys(agenda: list[dict]) -> set[str]:
    return {s["key"] for s in custom_sections(agenda)}


def _keyed(agenda: list[dict]) -> list[dict]:
    """A stored agenda's sections, each with a key that can be in a URL (one stored without,
    or with one the rules no longer allow, gets its place's)."""
    return [
        {
            "key": _usable_key(s.get("key"), i),
            "title": s.get("title", ""),
            "minutes": s.get("minutes"),
        }
        for i, s in enumerate(agenda or [], start=1)
        if isinstance(s, dict)
    ]


def _usable_key(key, place: int) -> str:
    key = str(key or "")
    return key if key in BUILT_IN or CUSTOM_KEY.fullmatch(key) else f"custom-{place}"


def total_minutes(agenda: list[dict]) -> int:
    return sum(s.get("minutes") or 0 for s in agenda or [] if isinstance(s, dict))
