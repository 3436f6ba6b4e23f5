"""A leader finds who made the dossiers late (#17): from the province's "who is late" page down to the slow
agency, its procedure, the step that overran and the dossier that overran it most."""

import pytest
from playwright.sync_api import expect

from motcua.quality import services
from tests.browser.pages import signed_in_page
from tests.factories import build_province
from tests.quality.lateness_scenario import build

pytestmark = pytest.mark.django_db(transaction=True)
MARCH = "?kind=month&month=3&year=2026"


def test_a_leader_drills_down_to_the_dossier_that_caused_the_delay(browser, live_server):
    p = build_province()
    land = build(p)
    services.rebuild()
    page = signed_in_page(browser, live_server.url, p.admin)
    page.goto(f"{live_server.url}/chat-luong/{MARCH}")
    page.get_by_role("navigation", name="Báo cáo chất lượng").get_by_role(
        "link", name="Ai chậm, vì sao"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ai chậm, vì sao")
    chart = page.get_by_role("img", name="Tỷ trọng thời gian chậm theo đơn vị")
    expect(chart).to_contain_text("Cục Thuế tỉnh")
    units = page.locator("table[data-table=units]")
    tax = units.get_by_role("row").filter(has_text="Cục Thuế tỉnh")
    expect(tax).to_contain_text("71,6 %")  # 24 of the 33.5 hours of delay
    tax.get_by_role("link", name="Cục Thuế tỉnh").click()

    expect(page.get_by_role("combobox", name="Đơn vị")).to_have_value(str(land.tax.pk))
    procedures = page.locator("table[data-table=procedures]")
    procedures.get_by_role("link", name=f"{land.procedure.code} – {land.procedure.name}").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(land.procedure.code)
    step = (
        page.locator("table[data-table=steps]").get_by_role("row").filter(has_text="Thuế xác định nghĩa vụ")
    )
    expect(step).to_contain_text("66,7 %")  # 2 of its 3 steps late
    step.get_by_role("link").click()

    rows = page.locator("table[data-table=dossiers] tbody tr")
    expect(rows).to_have_count(2)
    d2 = land.dossiers["D2"].code
    expect(rows.first).to_contain_text("16,0")  # the largest overrun first
    rows.first.get_by_role("link", name=d2).click()
    page.wait_for_url(f"**/can-bo/ho-so/{d2}/")
    expect(page.get_by_text(d2).first).to_be_visible()
