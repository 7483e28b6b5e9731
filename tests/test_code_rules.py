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


def test_every_unscoped_query_says_why():
    offenders = []
    for path in app_sources():
        if path.parent == ROOT / "crsys" / "tenancy":
            continue  # where the escape hatch is defined
        source = path.read_text()
        comments = comment_lines(source)
        for number, line in enumerate(source.splitlines(), start=1):
            if ".unscoped()" in line and not {number - 1, number} & comments:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
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


def test_this_rule_checker_would_notice_a_bare_unscoped_call(tmp_path):
    source = "rows = Student.objects.unscoped().all()\n"
    assert ".unscoped()" in source and not comment_lines(source)
