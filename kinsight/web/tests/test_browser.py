"""Browser tests: Playwright driving Debian's chromium, with axe-core checking every page.

Nothing downloads a browser: chromium comes from apt (`make chromium`) and axe-core from npm
(`make assets`). Screenshots are kept under var/screenshots/, one per page at desktop width and
one at 320 pixels.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kinsight.web.tests.cast import PASSWORD, Cast, build_cast, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
AXE_PATHS = [
    ROOT / "var" / "vendor" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# The outermost elements that stick out of the screen, to say what is too wide.
WIDEST = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.parentElement.closest('.ks-scroll, .ks-timeline'))
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
  .join(', ')
"""


def axe_script() -> Path:
    for path in AXE_PATHS:
        if path.exists():
            return path
    pytest.fail("axe-core is missing: run `make assets`")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # (building the cast) are synchronous and safe here. The guard is restored afterwards.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def cast(transactional_db: None, tmp_path: Path) -> Cast:
    built = build_cast(tmp_path)
    make_user("sam")
    return built


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    opened = context.new_page()
    # The Content Security Policy is enforced: anything it blocks is a failure of the page.
    blocked: list[str] = []
    opened.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield opened
    context.close()
    assert blocked == [], "the Content Security Policy blocked: " + "; ".join(blocked)


def check_accessible(page: Any, name: str) -> None:
    """axe-core finds no WCAG 2.2 AA violation; the page is kept as a screenshot either way."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    # Evaluated through the DevTools protocol rather than added as an inline script, which the
    # Content Security Policy (rightly) refuses.
    page.evaluate(axe_script().read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name} at {width}px: " + json.dumps(violations, indent=1)


def test_a_social_worker_finds_a_child_reads_the_chronology_and_acts_on_an_alert(
    cast: Cast, page: Any
) -> None:
    page.goto("/")
    assert "/sign-in/" in page.url
    check_accessible(page, "sign-in")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    check_accessible(page, "home")

    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_label("Name").fill("chloe welsh")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    check_accessible(page, "search")

    page.get_by_role("link", name="Chloe Walsh").click()
    expect(page.get_by_role("heading", name="Chloe Walsh", level=1)).to_be_visible()
    check_accessible(page, "person")

    page.get_by_role("link", name="Family chronology").click()
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.locator(".ks-late").get_by_text("recorded 19 days later")).to_be_visible()
    check_accessible(page, "chronology")

    page.get_by_role("link", name="Who knew what").click()
    check_accessible(page, "who-knew-what")

    page.get_by_role("link", name="Alerts", exact=True).click()
    check_accessible(page, "alerts")
    page.get_by_role("link", name="Referral decision overdue").click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    check_accessible(page, "alert")

    page.get_by_role("button", name="Close alert").click()
    expect(page.get_by_text("Give a reason for closing it").first).to_be_visible()
    check_accessible(page, "alert-error")
    page.get_by_label("What was done").fill("Rang the duty manager; decision recorded.")
    page.get_by_role("button", name="Record action").click()
    expect(page.get_by_text("Rang the duty manager; decision recorded.")).to_be_visible()
    page.get_by_label("Why it can be closed").fill("The decision was made on time by phone.")
    page.get_by_role("button", name="Close alert").click()
    expect(page.locator(".govuk-tag", has_text="closed")).to_be_visible()
    check_accessible(page, "alert-closed")


def test_every_page_reads_on_a_320_pixel_screen(cast: Cast, page: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    chloe = cast.chloe.pk
    for name, url in [
        ("home", "/"),
        ("search", "/search/?name=Chloe+Walsh"),
        ("person", f"/people/{chloe}/"),
        ("chronology", f"/people/{chloe}/chronology/?family=1"),
        ("who-knew-what", f"/people/{chloe}/who-knew-what/"),
        ("alerts", "/alerts/"),
        ("alert", f"/alerts/{cast.chloe_alert.pk}/"),
    ]:
        page.goto(url)
        # Nothing but the scrolling boxes may be wider than the screen.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{name} is {overflow}px wide at 320px: " + page.evaluate(WIDEST)
        check_accessible(page, name)


def test_pages_work_without_javascript(cast: Cast, browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/search/?name=Chloe+Walsh")
    page.get_by_role("link", name="Chloe Walsh").click()
    page.get_by_role("link", name="Chronology", exact=True).click()
    page.get_by_text("Filter by agency, type and period").click()
    page.get_by_label("nhs-east").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Showing 2 of 3 events")).to_be_visible()
    context.close()


def test_a_reviewer_opens_their_review_downloads_the_pack_and_counts_the_themes(
    cast: Cast, page: Any, settings: Any, tmp_path: Path
) -> None:
    from datetime import date

    from kinsight.access.models import User
    from kinsight.reviews.actions import do_commission_review
    from kinsight.reviews.tests.helpers import pack_text

    settings.KINSIGHT_REVIEW_KEYS_DIR = tmp_path / "keys"
    make_user("rita")
    do_commission_review(
        reviewer=User.objects.get(username="rita"), child=cast.chloe,
        period_from=date(2018, 1, 1), period_to=date(2018, 12, 31), title="CSPR 2024/3",
        acting="ada",
    )  # fmt: skip
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("link", name="Your reviews").first.click()
    check_accessible(page, "reviews")
    page.get_by_role("link", name="CSPR 2024/3").click()
    expect(page.get_by_text("1 January 2018 to 31 December 2018")).to_be_visible()
    review_url = page.url
    check_accessible(page, "review")

    page.get_by_role("button", name="Make and download the pack").click()
    expect(page.get_by_text("Say why the pack is being made").first).to_be_visible()
    check_accessible(page, "review-error")

    page.get_by_label("Word (.docx), to edit").check()
    page.get_by_label("No, with names").check()
    page.get_by_label("Why the pack is being made").fill("CSPR 2024/3")
    with page.expect_download() as info:
        page.get_by_role("button", name="Make and download the pack").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    text = pack_text(saved)
    assert "Multi-agency chronology" in text
    assert "Referral from maternity" in text
    assert "Bruising to the left cheek of the baby." in text

    page.get_by_role("link", name="Themes").first.click()
    page.locator("#since-day").fill("1")
    page.locator("#since-month").fill("1")
    page.locator("#since-year").fill("2018")
    page.locator("#until-day").fill("31")
    page.locator("#until-month").fill("12")
    page.locator("#until-year").fill("2018")
    page.get_by_role("button", name="Count this period").click()
    expect(page.get_by_role("cell", name="Deadline missed").first).to_be_visible()
    check_accessible(page, "review-themes")

    page.set_viewport_size({"width": 320, "height": 640})
    themes_url = page.url
    for name, url in [("reviews", "/reviews/"), ("review", review_url), ("themes", themes_url)]:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{name} is {overflow}px wide at 320px: " + page.evaluate(WIDEST)
        check_accessible(page, name)
