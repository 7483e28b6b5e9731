"""The teacher's journey in the demo district, and two editors' conflicting saves."""

import datetime

import pytest
from django.utils import timezone

from districts.models import District
from teams.models import Discussion, Meeting, NoteConflict
from tests.demo import PASSWORD
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, email)
    page.wait_for_url(f"{live_server.url}/d/demo/")


def open_team(page):
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="collaborative team").first.click()


def start_meeting(page, day: datetime.date | None = None):
    """From anywhere: the team's page, a new meeting on ``day`` (today), its page."""
    open_team(page)
    page.get_by_label("New meeting on").fill((day or datetime.date.today()).isoformat())
    page.get_by_role("button", name="Start the meeting").click()
    settled(page)


def settled(page):
    """Waits for what an open meeting's page loads after itself (the supports to check): on
    SQLite the test's own database writes must not meet the live server's reads."""
    page.locator("section#supports").wait_for()


def add_a_student(page):
    """Puts the first student the picker offers on the key issues."""
    picker = page.get_by_role("combobox", name="Discuss a student")
    # The picker's script binds its keys on load: a key pressed before then (a busy machine)
    # opens nothing, so wait for the new page, then for it to have loaded.
    picker.wait_for()
    page.wait_for_load_state("load")
    picker.press("ArrowDown")
    page.locator("#discuss-student-list [role=option]").first.wait_for()
    picker.press("Enter")
    page.get_by_role("button", name="Add to key issues").click()
    page.wait_for_url("**#discussion-*")
    settled(page)


def test_teacher_records_a_meeting_and_finds_it_all_at_the_next_one(
    live_server, browser, demo_district
):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    start_meeting(page)
    page.get_by_role("heading", name="Key issues").wait_for()
    meeting_url = page.url

    names = []
    for n in range(3):
        # The student picker, by keyboard alone: the down arrow opens the team's students,
        # Enter chooses the first, Enter again sends the form.
        picker = page.get_by_role("combobox", name="Discuss a student")
        page.wait_for_load_state("load")  # the picker's keys are bound on load
        picker.focus()
        picker.press("ArrowDown")
        page.locator("#discuss-student-list [role=option][aria-selected=true]").wait_for()
        picker.press("Enter")
        names.append(picker.input_value())
        assert names[-1] and picker.get_attribute("aria-expanded") == "false"
        picker.press("Enter")
        page.wait_for_url("**#discussion-*")
        # The keyboard starts at the new discussion, open (nobody has written in it yet);
        # those written in are folded.
        # (CSS, not a script predicate: the Content-Security-Policy refuses eval.)
        page.locator("details[open].discussion:focus").wait_for()
        notes = page.get_by_label("Notes", exact=True)
        assert notes.count() == 1
        notes.fill(f"Discussion {n + 1}: needs decoding practice")
        notes.blur()
        page.locator(".save-status").filter(has_text="Saved").nth(0).wait_for()
    assert len(set(names)) == 3  # a student discussed is not offered again
    # Another student with the same issue, named in place (htmx: no page load).
    same_issue = page.locator(".same-issue").first
    name_one = same_issue.get_by_role("combobox", name="Name a student")
    name_one.press_sequentially(names[0].split(",")[0][:4])
    same_issue.locator("[role=option]").first.wait_for()
    name_one.press("ArrowDown")
    name_one.press("Enter")
    same_issue.get_by_role("button", name="Add", exact=True).click()
    same_issue.get_by_role("button", name="Remove").wait_for()
    # The list was swapped in place: the keyboard is back on the picker, not at the top.
    page.locator('[id^="same-issue-"][id$="-add"]:focus').wait_for()
    named = same_issue.locator("li a").first.inner_text()
    page.get_by_label("What worked").fill("Reading buddies: 20 minutes a day at home")
    page.get_by_role("button", name="Celebrate").click()
    due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    for text in ("try phonics in a small group", "call Ada's family"):
        page.get_by_label("will").fill(text)
        page.get_by_label("by").fill(due)
        page.get_by_role("button", name="Commit").click()
        page.get_by_text(text).first.wait_for()
    context.close()  # the browser is closed…

    context = browser.new_context()  # …and opened again
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    assert page.get_by_text("try phonics in a small group").is_visible()  # home page
    page.goto(meeting_url)
    # Every discussion is folded to its summary; opening one loads its notes.
    summaries = page.locator("details.discussion > summary")
    assert summaries.count() == 3
    for n in range(3):
        summaries.nth(n).click()
        notes = page.locator("details.discussion").nth(n).get_by_label("Notes", exact=True)
        assert notes.input_value() == f"Discussion {n + 1}: needs decoding practice"
    assert page.get_by_text("Reading buddies: 20 minutes a day at home").is_visible()
    assert named in page.locator(".same-issue").last.inner_text()  # named in the third

    # The next meeting: last meeting's commitments are waiting for "How is it going?"
    start_meeting(page, datetime.date.today() + datetime.timedelta(days=42))
    carried = page.locator("#last-commitments")
    assert "try phonics in a small group" in carried.inner_text()
    assert "call Ada's family" in carried.inner_text()
    context.close()
    demo = District.objects.get(slug="demo")
    meeting_pk = int(meeting_url.split("#")[0].rstrip("/").split("/")[-1])
    assert Discussion.objects.for_district(demo).filter(meeting_id=meeting_pk).count() == 3


def test_two_editors_conflicting_saves_lose_nothing(live_server, browser, demo_district):
    tess_context, pat_context = browser.new_context(), browser.new_context()
    tess, pat = tess_context.new_page(), pat_context.new_page()
    sign_in(tess, live_server, "teacher@demo.example")
    open_team(tess)
    tess.get_by_role("button", name="Start the meeting").click()
    settled(tess)
    add_a_student(tess)
    meeting_url = tess.url.split("#")[0]
    sign_in(pat, live_server, "principal@demo.example")
    pat.goto(meeting_url)
    settled(pat)
    # Both have the note open at the same version; Tess saves first.
    tess.get_by_label("Notes", exact=True).first.fill("Tess: struggles with multi-step problems")
    tess.get_by_label("Notes", exact=True).first.blur()
    tess.get_by_text("Saved").first.wait_for()
    pat.get_by_label("Notes", exact=True).first.fill("Pat: works well with a peer")
    pat.get_by_label("Notes", exact=True).first.blur()
    pat.get_by_text("Both versions are kept").wait_for()
    assert "Pat: works well with a peer" in pat.locator(".conflict").first.inner_text()
    # Pat goes on typing: his kept version follows him; Tess's text is never saved over.
    with pat.expect_response(lambda r: "/discussions/" in r.url and r.request.method == "POST"):
        pat.get_by_label("Notes", exact=True).first.fill("Pat: works well with a peer, mornings")
        pat.get_by_label("Notes", exact=True).first.blur()
    tess.reload()
    settled(tess)
    assert tess.get_by_label("Notes", exact=True).first.input_value() == (
        "Tess: struggles with multi-step problems"
    )
    assert "Pat: works well with a peer, mornings" in tess.locator(".conflict").first.inner_text()
    # Markup typed into a note is kept as typed and shown as text: nothing runs.
    hostile = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    tess.get_by_label("Strategies already tried").first.fill(hostile)
    tess.get_by_label("Strategies already tried").first.blur()
    tess.locator(".save-status").filter(has_text="Saved").first.wait_for()
    tess.reload()
    settled(tess)
    assert tess.get_by_label("Strategies already tried").first.input_value() == hostile
    assert tess.evaluate("window.__xss") is None
    tess_context.close()
    pat_context.close()


def test_an_autosave_that_fails_says_so_and_keeps_the_text(live_server, browser, demo_district):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    start_meeting(page)
    add_a_student(page)
    notes = page.get_by_label("Notes", exact=True).first
    context.clear_cookies()  # the session ends (signed out elsewhere, or it expired)
    notes.fill("Words typed after the session ended")
    notes.blur()
    alert = page.locator(".save-error")
    alert.wait_for()
    assert "Not saved: you were signed out" in alert.inner_text()
    assert notes.input_value() == "Words typed after the session ended"
    assert page.get_by_role("heading", name="Key issues").is_visible()  # no login page inside
    context.close()


def test_a_refused_autosave_says_why_beside_the_field_and_stays_unsaved(
    live_server, browser, demo_district
):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    start_meeting(page)
    add_a_student(page)
    # Once the page is open, the meeting becomes read-only (closed long ago): saves are refused.
    meeting_pk = int(page.url.split("/meetings/")[1].split("/")[0])
    # unscoped(): the test's own set-up, outside any request or district.
    Meeting.objects.unscoped().filter(pk=meeting_pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=365)
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    notes = page.get_by_label("Notes", exact=True).first
    with page.expect_response(
        lambda r: "/discussions/" in r.url and r.request.method == "POST"
    ) as answer:
        notes.fill("Words the closed meeting refuses")
        notes.blur()
    # The refusal is an error status (422), and its reason is swapped in beside the field.
    assert answer.value.status == 422
    reason = page.locator(".save-status [role=alert]").first
    reason.wait_for()
    assert "read-only" in reason.inner_text()
    assert notes.input_value() == "Words the closed meeting refuses"
    # Refused is not saved: leaving still asks first.
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    context.close()


def test_leaving_with_unsaved_words_asks_first(live_server, browser, demo_district):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    start_meeting(page)
    add_a_student(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    # Typed, and the page closed before the autosave's pause ran out: the browser asks.
    meeting_url = page.url.split("#")[0]
    page.get_by_label("Notes", exact=True).first.press_sequentially("Half a tho")
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    # Once saved, leaving asks nothing.
    again = context.new_page()
    again.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    again.goto(meeting_url)
    again.get_by_label("Notes", exact=True).first.press_sequentially("A whole thought")
    again.get_by_label("Notes", exact=True).first.blur()
    again.locator(".save-status").filter(has_text="Saved").first.wait_for()
    again.close(run_before_unload=True)
    page.wait_for_timeout(300)  # the first page stayed: its dialog was dismissed
    assert dialogs == ["beforeunload"] and again.is_closed()
    context.close()


def test_passing_through_a_box_on_an_older_page_makes_no_conflict(
    live_server, browser, demo_district
):

    tess_context, pat_context = browser.new_context(), browser.new_context()
    tess, pat = tess_context.new_page(), pat_context.new_page()
    sign_in(tess, live_server, "teacher@demo.example")
    start_meeting(tess)
    add_a_student(tess)
    notes = tess.get_by_label("Notes", exact=True).first
    notes.fill("First words")
    notes.blur()
    tess.locator(".save-status").filter(has_text="Saved").first.wait_for()
    sign_in(pat, live_server, "principal@demo.example")
    pat.goto(tess.url.split("#")[0])  # Pat's page: "First words"
    pat.locator("details.discussion > summary").first.click()  # written in: folded
    pat.get_by_label("Notes", exact=True).first.wait_for()
    with tess.expect_response(lambda r: "/discussions/" in r.url):
        notes.fill("First words, and more")
        notes.blur()
    # Pat only tabs through the box, typing nothing: his older words are not sent.
    pat.get_by_label("Notes", exact=True).first.focus()
    pat.keyboard.press("Tab")
    pat.wait_for_timeout(1200)
    district = District.objects.get(slug="demo")
    assert not NoteConflict.objects.for_district(district).exists()
    assert pat.locator(".conflict").count() == 0
    tess_context.close()
    pat_context.close()
