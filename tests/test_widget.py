"""The web widget in a real browser (Debian's Chromium driven by Playwright) against the live stack."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live):
    # bypass_csp only lets Playwright's own waiting helpers run; the page keeps its policy for users.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE", bypass_csp=True)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live.api_url) else None)
    page.goto(live.api_url + "/")
    yield page
    assert outside == [], f"the page contacted other hosts: {outside}"
    context.close()


def ask(page, text):
    before = page.locator(".msg--bot").count()
    page.locator("#input").fill(text)
    page.locator("#send").click()
    page.wait_for_function(f"document.querySelectorAll('.msg--bot').length > {before}", timeout=30_000)


def test_question_gets_an_answer_card(page):
    ask(page, "Ich brauche einen Arzt in Neukölln")
    card = page.locator(".cards .card").first
    card.wait_for(timeout=30_000)
    assert card.locator(".card__name").inner_text().strip()
    assert card.locator(".card__source a").count() == 1
    phones = page.locator('.card a[href^="tel:"]')
    assert phones.count() == 0 or phones.first.get_attribute("href").startswith("tel:")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-answer.png"), full_page=True)


def test_buttons_are_tappable_choices(page):
    ask(page, "hallo")
    buttons = page.locator(".buttons button")
    assert buttons.count() >= 3
    before = page.locator(".cards").count()
    buttons.first.click()
    page.wait_for_function(f"document.querySelectorAll('.cards').length > {before}", timeout=30_000)


def test_conversation_survives_a_reload_and_can_be_cleared(page):
    ask(page, "wo kann ich deutsch lernen")
    count = page.locator(".msg").count()
    page.reload()
    assert page.locator(".msg").count() == count
    page.locator("#new").click()
    assert page.locator(".msg").count() == 1  # only the welcome message


def test_injected_html_stays_text(page):
    ask(page, "<img src=x onerror=\"document.body.dataset.pwned=1\"><script>document.body.dataset.pwned=1</script>")
    assert page.locator("body").get_attribute("data-pwned") is None
    assert page.locator(".chat__log img, .chat__log script").count() == 0
    assert "<script>" in page.locator(".msg--user").last.inner_text()


def test_right_to_left_layout_for_arabic(page):
    page.select_option("#language", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#send").inner_text() == "إرسال"
    page.locator("#input").fill("مرحبا")
    page.locator("#send").click()
    page.wait_for_function("document.querySelectorAll('.msg--bot').length > 1", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-rtl.png"), full_page=True)


def test_clear_message_when_the_server_cannot_be_reached(page, live):
    page.route("**/api/chat", lambda route: route.abort())
    page.locator("#input").fill("hallo")
    page.locator("#send").click()
    error = page.locator(".msg--error").last
    error.wait_for(timeout=10_000)
    assert "nicht erreichbar" in error.inner_text() and "110" in error.inner_text()


@pytest.mark.parametrize("language", ["de", "en", "ar", "uk", "fa", "ru", "tr"])
def test_whole_conversation_in_each_language(page, language):
    """Greeting, a topic question, the district, thanks: typed into the widget, answered in the language
    with an answer card for the district (the conversations of tests/test_conversations.py)."""
    from bot.texts import locale
    from tests.test_conversations import CONVERSATIONS

    greet, topic, district, thanks = CONVERSATIONS[language]
    ui = locale(language)["ui"]
    ask(page, greet)
    ask(page, topic)
    page.locator(".cards .card").first.wait_for(timeout=30_000)
    assert ui["label_source"] in page.locator("#log").inner_text()
    assert page.locator("html").get_attribute("lang") == language, "the widget follows the answer's language"
    ask(page, district)
    page.wait_for_function("document.querySelectorAll('.cards').length >= 2", timeout=30_000)
    assert "Spandau" in page.locator(".cards").last.inner_text()
    ask(page, thanks)
    assert page.locator(".msg--bot").last.inner_text().strip()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language in ("ar", "fa") else "ltr")
