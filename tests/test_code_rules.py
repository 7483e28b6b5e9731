"""House rules that a reviewer would otherwise have to remember (STYLE.md 4–6)."""

import ast
import io
import re
import tokenize
from pathlib import Path

from django.apps import apps

from crsys.tenancy.models import TenantModel

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ["crsys", "districts", "schools", "teams", "continuum", "leadership", "screeners"]


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
        # What is working: one INSERT … SELECT per window, the district in every WHERE.
        "continuum/effects.py",
        # One SECURITY DEFINER function that answers user ids only (ADR 7).
        # The audit table's grants and its retention purge (ADR 11), no tenant rows read.
        "crsys/audit/database.py",
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


# STYLE 5–6: an id (most often a client's) reaches a tenant model only through a selector,
# which answers the same 404 for "another district", "not visible to you" and "missing".
ONE_ID = {"pk", "id"}
ANY_ID = ONE_ID | {"pk__in", "id__in"}
# Modules where client ids arrive: there every id lookup (on any queryset) is a selector's.
EDGE_MODULES = {"views", "api", "forms", "serializers"}


def tenant_model_names() -> set[str]:

    return {m.__name__ for m in apps.get_models() if issubclass(m, TenantModel)}


def _chain(node: ast.AST) -> tuple[str | None, list[str]]:
    """For ``Model.objects.a(…).b(…)``: ("Model", ["a", "b"]); the root is None when the
    chain does not start at a ``.objects`` manager."""
    calls: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id, calls
            calls.append(node.attr)
            node = node.value
        else:
            return None, calls


def id_lookups(source: str, tenant_models: set[str], *, edge: bool) -> list[tuple[int, str]]:
    """``get_object_or_404`` and ``get``/``filter`` by id: on a tenant model's manager
    anywhere, on any queryset in an edge module. A ``select_for_update()`` re-read of a row
    already fetched is a lock (STYLE 11), not a fetch."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in {"get_object_or_404", "get_list_or_404"} and node.args:
            target = node.args[0]
            model = target.id if isinstance(target, ast.Name) else _chain(target)[0]
            if edge or model in tenant_models:
                found.append((node.lineno, f"{name}({model or '…'}, …)"))
        elif name in {"get", "filter"} and isinstance(func, ast.Attribute):
            model, calls = _chain(func.value)
            keywords = {k.arg for k in node.keywords}
            if "select_for_update" in calls:
                continue
            if (model in tenant_models and keywords & ONE_ID) or (edge and keywords & ANY_ID):
                found.append((node.lineno, f"{model or '…'}.{name}({min(keywords & ANY_ID)}=…)"))
    return found


def is_selectors_module(path: Path) -> bool:
    return path.stem == "selectors" or "selectors" in path.parts


def is_edge_module(path: Path) -> bool:
    return path.stem in EDGE_MODULES or bool(EDGE_MODULES & set(path.parts))


def test_tenant_rows_are_fetched_by_id_only_in_selectors():
    tenant_models = tenant_model_names()
    offenders = []
    for path in app_sources():
        if is_selectors_module(path) or path.parent == ROOT / "crsys" / "tenancy":
            continue
        source, edge = path.read_text(), is_edge_module(path)
        for line, what in id_lookups(source, tenant_models, edge=edge):
            offenders.append(f"{path.relative_to(ROOT)}: {what}")
    assert sorted(offenders) == []


def test_the_id_lookup_rule_finds_each_shape():
    source = (
        "a = Student.objects.get(pk=pk)\n"
        "b = Student.objects.select_related('x').filter(id=pk)\n"
        "c = get_object_or_404(Student, pk=pk)\n"
        "d = get_object_or_404(Student.objects.select_related('x'), pk=pk)\n"
        "e = Student.objects.filter(name='x')\n"
        "f = User.objects.get(pk=pk)\n"
        "g = Student.objects.select_for_update().get(pk=student.pk)\n"
        "h = visible(actor).filter(pk__in=ids)\n"
        "i = get_object_or_404(visible(actor), pk=pk)\n"
    )
    assert [line for line, _ in id_lookups(source, {"Student"}, edge=False)] == [1, 2, 3, 4]
    assert [line for line, _ in id_lookups(source, {"Student"}, edge=True)] == [1, 2, 3, 4, 6, 8, 9]


# STYLE 2: one write path per entity. Views, API, forms, tasks and commands call services;
# the model writes below are theirs alone.
WRITE_METHODS = {"save", "create", "delete", "bulk_create", "bulk_update"}
WRITE_METHODS |= {"update_or_create", "get_or_create"}
WRITE_EDGES = EDGE_MODULES | {"tasks", "management"}
WRITES_ALLOWED: set[str] = set()


def writes(source: str) -> list[tuple[int, str]]:
    """Calls that write a model: ``.save()``, ``.create()`` … on anything, and ``.update()``
    on a queryset (a call's result or a manager: a dict's ``update`` is not a write)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        model, _ = _chain(receiver)
        on_queryset = model is not None or isinstance(receiver, ast.Call)
        if name in WRITE_METHODS or (name == "update" and on_queryset):
            found.append((node.lineno, f"{model or '…'}.{name}(…)"))
    return found


def is_write_edge(path: Path) -> bool:
    return path.stem in WRITE_EDGES or bool(WRITE_EDGES & set(path.parts))


def test_views_api_forms_and_tasks_write_only_through_services():
    offenders = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in app_sources()
        if is_write_edge(path)
        for _, what in writes(path.read_text())
    ]
    assert sorted(o for o in offenders if o not in WRITES_ALLOWED) == []


def test_the_write_rule_finds_each_shape():
    source = (
        "serializer.save(district=d)\n"
        "Student.objects.create(name='x')\n"
        "Student.objects.filter(pk=1).update(name='x')\n"
        "rows.filter(a=1).delete()\n"
        "context.update(extra)\n"
        "cache.set('k', 1)\n"
    )
    assert [line for line, _ in writes(source)] == [1, 2, 3, 4]


# One "today" (issue 13 item 5): District.today(), in the district's zone. The server's date
# (UTC in production) is a day off every evening in the Americas.
SERVER_TODAY = re.compile(r"timezone\.localdate\(\)|\bdate\.today\(\)|datetime\.now\(\)")
SERVER_TODAY_ALLOWED = {
    # Synthetic roster files for the demo and the benchmarks, which pass their own date;
    # the default serves the bench's "this school year", which no district owns.
    "schools/roster/generate.py",
}


def test_app_code_asks_the_district_for_today():
    offenders = [
        str(path.relative_to(ROOT))
        for path in app_sources()
        if SERVER_TODAY.search(path.read_text())
    ]
    assert sorted(set(offenders) - SERVER_TODAY_ALLOWED) == []
    assert set(offenders) >= SERVER_TODAY_ALLOWED, "drop the fixed ones from the list"


def test_pages_decide_permission_with_the_one_decorator():
    # districts.permissions.capability_required, not a private copy per app (issue 13 item 5).
    copies = [
        str(path.relative_to(ROOT))
        for path in app_sources()
        if re.search(r"^def _require\w*\(request", path.read_text(), re.M)
    ]
    assert copies == []


# Modules that run outside any district context: the audit event of a request is written after
# the request's own transaction (ADR 11), naming its district itself.
OUTSIDE_A_CONTEXT = {"crsys/audit/selectors.py"}


def test_app_code_reads_through_the_ambient_manager_not_for_district():
    # ADR 1's one idiom: inside a request or a task, Model.objects (scoped by the district in
    # context); for_district(d) only outside a context (OUTSIDE_A_CONTEXT).
    # teams/ is being reshaped (issue 13 item 4), which converts its calls.
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in app_sources()
        if path.parent != ROOT / "crsys" / "tenancy" and path.parts[len(ROOT.parts)] != "teams"
        if str(path.relative_to(ROOT)) not in OUTSIDE_A_CONTEXT
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ".for_district(" in line
    ]
    assert offenders == []


MODULE_LINE_LIMIT = 400  # STYLE 1: a module past it becomes a package along its seams


def project_modules():
    """The modules of every app of the project (one added later too), without migrations."""
    roots = {ROOT / "crsys"} | {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    for root in sorted(roots):
        for path in root.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def over_the_limit(paths, root: Path = ROOT) -> list[str]:
    lengths = {path: len(path.read_text().splitlines()) for path in paths}
    return [
        f"{p.relative_to(root)}: {n} lines" for p, n in lengths.items() if n > MODULE_LINE_LIMIT
    ]


def test_no_app_module_is_over_400_lines():
    modules = list(project_modules())
    assert {p.relative_to(ROOT).parts[0] for p in modules} >= set(APP_DIRS)
    assert over_the_limit(modules) == []


def test_the_length_rule_finds_a_long_module(tmp_path):
    (tmp_path / "long.py").write_text("x = 1\n" * (MODULE_LINE_LIMIT + 1))
    (tmp_path / "short.py").write_text("x = 1\n" * MODULE_LINE_LIMIT)
    found = over_the_limit(sorted(tmp_path.glob("*.py")), root=tmp_path)
    assert found == [f"long.py: {MODULE_LINE_LIMIT + 1} lines"]
