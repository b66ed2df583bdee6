"""The respondent form and the admin view in headless Chromium, against a real server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from payforce.assessment.service import start_assessment
from payforce.assessment.web import create_assessment_router

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(empty_store, instrument) -> Iterator[tuple[str, object]]:
    app = FastAPI()
    app.include_router(
        create_assessment_router(empty_store, instrument, clock=lambda: "2026-07-01T09:00:00Z")
    )
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 10 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", empty_store
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page():
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_respondent_fills_the_form_and_admin_sees_it(server, page, instrument):
    base, store = server
    made = start_assessment(
        store,
        instrument,
        "Browser Health",
        created_at="t",
        respondents=[("CEO", ""), ("Compliance", "")],
    )
    ceo = made.respondents[0][1]
    page.goto(f"{base}/assess/r/{ceo}")
    assert page.title() == "AI-governance readiness assessment"
    assert page.locator("input[type=radio]").count() == 37 * 6
    page.check('input[name="D3.02"][value="1"]')
    page.check('input[name="D4.02"][value="4"]')
    page.get_by_text("Save my answers").click()
    page.wait_for_url(f"{base}/assess/r/{ceo}")  # Chromium sends Origin: null: the form token
    assert page.locator("[role=status]").inner_text().startswith("Your answers are saved (")
    assert page.is_checked('input[name="D3.02"][value="1"]')

    page.goto(f"{base}/assess/admin/{made.admin_token}")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:2] == ["CEO", "2 / 37"]
    assert rows.nth(1).inner_text().split("\t")[:2] == ["Compliance", "0 / 37"]
    assert page.locator("svg[aria-label='Scores by domain']").count() == 1
    assert "Status: BLOCKED" in page.content()

    page.goto(f"{base}/assess/admin/not-a-token")
    assert "not found" in page.locator("p.error").inner_text()
