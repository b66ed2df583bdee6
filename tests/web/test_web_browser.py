"""In a real browser: Playwright drives Debian's Chromium against uvicorn on a loopback port.

Screenshots of each step land in ``test-artifacts/web/`` (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from payforce.store.snapshot import open_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """uvicorn serving the app over a fresh SQLite store, on a free loopback port."""
    import uvicorn

    from payforce.web.app import create_app

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'payforce.db'}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    sock.close()
    store.dispose()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (never a downloaded browser)."""
    if not CHROMIUM.exists():
        message = "Debian chromium is not installed at /usr/bin/chromium (scripts/test_setup.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser fails the run, it does not skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert not errors, f"browser console errors (a CSP violation?): {errors}"


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000
    return path


def one_h1(page) -> str:
    assert page.locator("h1").count() == 1
    return page.locator("h1").inner_text()


def test_browser_dashboard_role_code_document(page, server):
    page.goto(server + "/?as_of=2026-06-30")
    assert one_h1(page) == "Workforce outlook"
    assert page.locator("svg.chart").count() == 4
    shot(page, "1-dashboard")

    page.locator("table.outlook").get_by_role(
        "link", name="Care manager / care coordinator (RN)"
    ).click()
    page.wait_for_url(re.compile(r"/roles/care_manager_rn\?as_of=2026-06-30$"))
    assert one_h1(page) == "Care manager / care coordinator (RN)"
    assert "point to growth" in page.locator("p.lead").inner_text()
    shot(page, "2-role")

    # The strongest labour-weighted evidence for care managers is transitional care (99495):
    # CCM's 99490 only renumbered a service already paid, so it no longer leads the page.
    page.locator('#sec-why ~ ul a[href="/codes/99495"]').first.click()
    page.wait_for_url(re.compile(r"/codes/99495$"))
    assert one_h1(page).startswith("99495:")
    steps = page.locator("ol.chain .step-name").all_inner_texts()
    assert [s.lower() for s in steps] == ["performs", "supervises", "documents", "bills"]
    shot(page, "3-code")

    page.goto(server + "/codes/99490")
    assert one_h1(page).startswith("99490:")

    page.locator('#sec-docs ~ ul a[href="/documents/2014-26183"]').first.click()
    page.wait_for_url(re.compile(r"/documents/2014-26183$"))
    events = page.locator("ol.timeline li span:not(.muted)").all_inner_texts()
    assert events == [
        "proposed rule published",
        "final rule published",
        "correction published",
        "takes effect",
        "correction published",
    ]
    shot(page, "4-document")


def test_browser_as_of_control_replays_history(page, server):
    page.goto(server + "/")
    page.get_by_label("Replay history as of").fill("2016-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"\?as_of=2016-01-01$"))
    assert page.get_by_label("Replay history as of").input_value() == "2016-01-01"
    # MSSP results are public from their PUF release: PY2014 on 2015-08-25, PY2015 on 2016-08-25.
    aco = page.locator("#aco-count details table").text_content()
    assert "2014" in aco and "2015" not in aco and "2026" not in aco
    shot(page, "5-as-of-2015")

    page.goto(server + "/roles/medical_coder")
    page.get_by_label("Replay history as of").fill("2016-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/roles/medical_coder\?as_of=2016-01-01$"))
    assert "As of 2016-01-01" in page.locator("p.lead").inner_text()


def test_browser_search(page, server):
    page.goto(server + "/search")
    page.get_by_label("Search documents, codes and roles").fill("remote monitoring")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=remote\+monitoring"))
    results = page.locator("ol.results > li")
    assert results.count() > 3
    assert page.locator("mark").count() > 0
    shot(page, "6-search")
    page.get_by_label("Only").select_option("code")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"kind=code"))
    kinds = set(page.locator("ol.results .badge.kind").all_inner_texts())
    assert kinds == {"code"}


def test_browser_calculator_form(page, server):
    page.goto(server + "/economics")
    assert one_h1(page) == "Program economics"
    page.get_by_label("Program").select_option("rpm")
    page.get_by_label("Eligible patients").fill("2000")
    page.get_by_label("Share enrolled (0–1)").fill("0.2")
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_url(re.compile(r"program=rpm"))
    facts = page.locator("#sec-result ~ dl, #sec-result + dl").first.inner_text()
    assert "Enrolled panel\n400" in facts or "400 (" in facts
    assert page.locator("svg.chart").count() == 2  # revenue vs cost, and break-even
    assert "first break-even" in page.locator("#economics-break-even").inner_text()
    shot(page, "7-economics")


def test_browser_keyboard_focus_is_visible_and_ordered(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    order = []
    for _ in range(9):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert order[:8] == [
        "payforce",
        "Dashboard",
        "Roles",
        "Codes",
        "Documents",
        "Search",
        "Economics",
        "API",
    ]
    assert page.evaluate("document.activeElement.id") == "as_of"  # then the as_of control
    width = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert width != "0px"


def test_browser_phone_layout_has_no_sideways_scroll(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    pg = context.new_page()
    for path in ("/", "/roles/care_manager_rn", "/codes/99490", "/documents/2024-00895"):
        pg.goto(server + path)
        overflow = pg.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    shot(pg, "8-phone-role")
    context.close()
