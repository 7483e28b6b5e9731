"""House rules that a reviewer would otherwise have to remember (STYLE.md 4–6)."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ["crsys", "districts", "schools", "teams", "continuum", "screeners"]


def app_sources():
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def comment_lines(source: str) -> set[int]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}


def unexplained_unscoped_calls(source: str) -> list[int]:
    """Lines calling ``.unscoped()`` with no comment on the same line or the line above."""
    comments = comment_lines(source)
    return [
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if ".unscoped()" in line and not {number - 1, number} & comments
    ]


def test_every_unscoped_query_says_why():
    offenders = []
    for path in app_sources():
        if path.parent == ROOT / "crsys" / "tenancy":
            continue  # where the escape hatch is defined
        source = path.read_text()
        lines = source.splitlines()
        offenders += [
            f"{path.relative_to(ROOT)}:{n}: {lines[n - 1].strip()}"
            for n in unexplained_unscoped_calls(source)
        ]
    assert offenders == [], "each .unscoped() needs a comment (same line or above) saying why"


def test_no_raw_sql_without_a_district_filter_outside_the_tenancy_core():
    # Raw SQL skips the tenant managers; it belongs in modules that set the district
    # themselves (the tenancy core) or in set-based services reviewed for it.
    allowed = {
        "crsys/tenancy/rls.py",
        # COPY + INSERT … SELECT into tables the district context (and RLS) covers.
        "crsys/bulk.py",
        # Window snapshots: INSERT … SELECT per level, the district in every WHERE.
        "screeners/recompute.py",
        # One SECURITY DEFINER function that answers user ids only (ADR 7).
    }
    offenders = [
        str(path.relative_to(ROOT))
        for path in app_sources()
        if re.search(r"\.(raw|extra)\(|cursor\(\)", path.read_text())
        and str(path.relative_to(ROOT)) not in allowed
    ]
    assert offenders == []


def test_this_rule_checker_would_notice_a_bare_unscoped_call():
    source = (
        "first = Student.objects.unscoped().all()\n"
        "# Across districts: the operator's export.\n"
        "second = Student.objects.unscoped().all()\n"
        "third = Student.objects.unscoped().all()  # the nightly job, every district\n"
        "'# a comment in a string is not a comment'\n"
        "fifth = Student.objects.unscoped().all()\n"
    )
    assert unexplained_unscoped_calls(source) == [1, 6]
