import contextlib
import os
import shutil

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY

from districts.models import District, Role
from tests import demo
from tests.factories import DistrictFactory, SchoolFactory, forget_family_names, member

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that
# unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CRSYS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_skipped_browser_tests = []


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="browser tests skipped: install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            _skipped_browser_tests.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_line(
            f"browser tests skipped: install chromium ({len(_skipped_browser_tests)} tests; "
            "apt-get install chromium)",
            yellow=True,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _settle_browser(request):
    """After a browser test, its pages finish what they were loading (a meeting page loads
    parts after itself) and close, before the database is emptied under them: the database
    and the live server are set up before this, so they are torn down after it."""
    if "browser" not in request.keywords:
        yield
        return
    request.getfixturevalue("transactional_db")
    request.getfixturevalue("live_server")
    browser = request.getfixturevalue("browser")
    yield
    for context in list(browser.contexts):
        for page in context.pages:
            # A page that never settles is closed anyway.
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5000)
        context.close()


@pytest.fixture(autouse=True)
def _fresh_student_names():
    forget_family_names()


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(request):
    """``client.force_login`` stands in for the whole sign-in, second factor included (real
    sign-in only calls ``login`` after both steps). Tests of the second factor itself mark
    themselves ``real_mfa``."""
    if "real_mfa" in request.keywords:
        yield
        return

    def mark(sender, request, user, **kwargs):
        request.session.setdefault(DEVICE_ID_SESSION_KEY, "tests.force_login")

    user_logged_in.connect(mark, dispatch_uid="tests-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")


@pytest.fixture(autouse=True)
def _clear_cache():

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db):
    return DistrictFactory(slug="alpha", name="Alpha School District")


@pytest.fixture
def other_district(db):
    return DistrictFactory(slug="beta", name="Beta School District")


@pytest.fixture
def school(district):
    return SchoolFactory(district=district, name="Alpha Elementary", code="AE")


@pytest.fixture
def admin_user(district):
    return member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")


@pytest.fixture
def teacher_user(district, school):
    return member(district, Role.TEACHER, school=school, email="teacher@alpha.example")


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker):

    with django_db_blocker.unblock():
        return demo.seed_and_record()


@pytest.fixture
def demo_district(_demo_rows, django_db_blocker):
    """The demo district (``tests.demo.SLUG``; every demo login has ``tests.demo.PASSWORD``),
    fresh for this test but seeded once per session. The test's own ``django_db`` mark (or
    ``db``/``transactional_db``) decides whether it is rolled back or flushed afterwards.
    The rows keep the ids they were seeded with: ask for it before fixtures that write rows."""

    demo.load(_demo_rows)
    return District.objects.get(slug=demo.SLUG)
