"""On a phone (390×844) no main page scrolls sideways and the site header stays compact (#13 item 9).

One logged-in browser context per role opens every main page; `scripts/screenshot-tour` reuses `main_pages`
to photograph the same pages.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from motcua.catalog.models import Procedure
from motcua.documents.services import attach_files, store_upload
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.factories import Province, build_province
from tests.portal.helpers import pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_SHARE = 0.20
# A long file name with no spaces: it must wrap, not push the page wider.
LONG_FILE = "to-khai-dang-ky-khai-sinh-cho-con-thu-hai-ban-scan-co-chung-thuc-2026.pdf"


@dataclass(frozen=True)
class MainPage:
    role: str  # "citizen", "counter" or "leader": whose browser context opens it
    name: str  # file name of its screenshot, and how a failure names it
    path: str


def citizen_dossier(province: Province) -> Dossier:
    """An online dossier of the citizen with an uploaded file and an issued result: it may be rated."""
    dossier = services.submit_online(intake=province.intake(), acting_user=province.citizen)
    dossier = services.accept(dossier=dossier, acting_user=province.counter)
    upload = store_upload(uploaded=pdf_upload(LONG_FILE), acting_user=province.counter)
    attach_files(component=dossier.components.first(), files=[upload], acting_user=province.counter)
    dossier = services.start_processing(dossier=dossier, acting_user=province.counter)
    dossier = services.complete_step(dossier=dossier, acting_user=province.specialist)
    dossier = services.approve(dossier=dossier, acting_user=province.leader)
    return services.issue_result(dossier=dossier, acting_user=province.leader)


def build_data() -> list[MainPage]:
    """A province with dossiers in every list, and the main pages to open."""
    province = build_province()
    Procedure.objects.filter(pk=province.birth.pk).update(
        online_level="full", name="Thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế"
    )
    mine = citizen_dossier(province)
    late = province.processing(now=timezone.now() - timedelta(days=10))
    for _ in range(3):
        province.receive()
    birth, unit = province.birth.code, province.commune.code
    track = f"/tra-cuu/?ma={mine.code}&xac_thuc={province.citizen.citizen_id}"
    return [
        MainPage("citizen", "home", "/"),
        MainPage("citizen", "catalogue", "/dich-vu-cong/"),
        MainPage("citizen", "procedure", f"/thu-tuc/{birth}/"),
        MainPage("citizen", "tracking", track),
        MainPage("citizen", "my-dossiers", "/ho-so-cua-toi/"),
        MainPage("citizen", "my-dossier", f"/ho-so-cua-toi/{mine.code}/"),
        MainPage("citizen", "apply", f"/nop-ho-so/{birth}/"),
        MainPage("citizen", "rating", f"/danh-gia/{mine.code}/"),
        MainPage("anonymous", "login", "/tai-khoan/dang-nhap/"),
        MainPage("anonymous", "register", "/tai-khoan/dang-ky/"),
        MainPage("anonymous", "queue-kiosk", f"/xep-hang/{unit}/lay-so/"),
        MainPage("anonymous", "queue-board", f"/xep-hang/{unit}/bang/"),
        MainPage("counter", "work-list", "/can-bo/"),
        MainPage("counter", "reception", f"/can-bo/tiep-nhan/{birth}/"),
        MainPage("leader", "work-list-overdue", "/can-bo/?list=qua-han"),
        MainPage("leader", "dossier", f"/can-bo/ho-so/{late.code}/"),
        MainPage("leader", "quality-dashboard", "/chat-luong/"),
        MainPage("leader", "quality-report", "/chat-luong/thong-ke/"),
        MainPage("leader", "late-list", "/chat-luong/tre-han/"),
    ]


def _context(browser: Browser, viewport: dict) -> BrowserContext:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport)
    context.set_default_timeout(10_000)
    return context


def signed_in(browser: Browser, base: str, role: str, viewport: dict) -> Page:
    page = _context(browser, viewport).new_page()
    if role == "citizen":
        page.goto(f"{base}/tai-khoan/dang-nhap/")
        page.get_by_label("Số định danh cá nhân / mã số thuế").fill(
            "citizen"
        )  # build_province names the account so
        page.get_by_label("Mật khẩu").fill("pw-citizen")
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    elif role != "anonymous":
        page.goto(f"{base}/can-bo/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(role)
        page.get_by_label("Mật khẩu").fill(f"pw-{role}")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def visit(
    browser: Browser, base: str, pages: list[MainPage], viewport: dict
) -> Iterator[tuple[MainPage, Page]]:
    """Open each page in its role's context (one sign-in per role), yielding it once loaded."""
    contexts: dict[str, Page] = {}
    try:
        for main in pages:
            if main.role not in contexts:
                contexts[main.role] = signed_in(browser, base, main.role, viewport)
            page = contexts[main.role]
            response = page.goto(base + main.path)
            assert response is not None and response.ok, f"{main.name}: HTTP {response and response.status}"
            yield main, page
    finally:
        for page in contexts.values():
            page.context.close()


# The innermost elements sticking out on the right, to say what makes a page too wide.
CULPRITS = """() => [...document.body.querySelectorAll("*")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))"""
CLIPPED_HEADINGS = """() => [...document.querySelectorAll("h1, h2")]
  .filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.textContent.trim())"""


def width_problems(page: Page) -> str | None:
    extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if extra > 0:
        return f"{extra} px too wide ({', '.join(page.evaluate(CULPRITS))})"
    if clipped := page.evaluate(CLIPPED_HEADINGS):
        return f"heading wider than its box: {clipped}"
    return None


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server):
    pages = build_data()
    problems = {}
    for main, page in visit(browser, live_server.url, pages, PHONE):
        if main.name == "my-dossier":
            expect(page.get_by_text(LONG_FILE)).to_be_visible()
        if main.name == "home":
            header = page.locator("body > header").bounding_box()
            assert header is not None
            if header["height"] > HEADER_SHARE * PHONE["height"]:
                problems["home header"] = f"{header['height']:.0f} px high"
        if problem := width_problems(page):
            problems[main.name] = problem
    assert problems == {}, f"on a 390×844 phone: {problems}"

    # The links are folded into a menu that opens without JavaScript.
    page = _context(browser, PHONE).new_page()
    page.goto(live_server.url + "/")
    link = page.locator("header").get_by_role("link", name="Tra cứu hồ sơ")
    expect(link).to_be_hidden()
    page.locator("header summary").click()
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu tình trạng hồ sơ")
    page.context.close()


def test_screenshot_tour(browser, live_server, shots):
    """Not a check: `scripts/screenshot-tour DIR` runs it with MOTCUA_SHOTS_DIR=DIR to photograph the main
    pages on a phone and a desktop (the visible screen only) and index them in DIR/README.md."""
    if shots is None:
        pytest.skip("MOTCUA_SHOTS_DIR is not set (scripts/screenshot-tour sets it)")
    pages = build_data()
    for old in [*shots.glob("*-phone.png"), *shots.glob("*-desktop.png")]:
        old.unlink()
    for device, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        for main, page in visit(browser, live_server.url, pages, viewport):
            path = shots / f"{main.name}-{device}.png"
            page.screenshot(path=str(path))
            # 128 colours are plenty for these pages and keep the committed PNGs small.
            Image.open(path).convert("RGB").quantize(128).save(path, optimize=True)
    rows = [
        f"| {main.name} | {main.role} | `{main.path}` | ![{main.name}, phone]({main.name}-phone.png) "
        f"| ![{main.name}, desktop]({main.name}-desktop.png) |"
        for main in pages
    ]
    (shots / "README.md").write_text(
        "# Screenshot tour\n\n"
        "The main pages with test data (tests/browser/test_phone_layout.py), the visible screen only: "
        f"phone {PHONE['width']}×{PHONE['height']}, desktop {DESKTOP['width']}×{DESKTOP['height']}. "
        "Dossier codes in the URLs change at each run. "
        "Regenerate with `scripts/screenshot-tour [DIRECTORY]`.\n\n"
        "| page | signed in as | URL | phone | desktop |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
