"""A commune's quarterly report on a reform directive (#20): the commune sends it, the Department of Home
Affairs returns it with a reason, the commune sends it again, the department accepts it, and the quarter's
dashboard counts it."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.directives.models import Recurrence, Target, TaskPeriod
from motcua.directives.services import TaskSpec
from tests.browser.pages import signed_in_page
from tests.directives.helpers import build_reform, issue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_quarterly_report_returned_sent_again_and_accepted(browser, live_server):
    r = build_reform()
    today = timezone.localdate()
    task = TaskSpec(
        title="Nâng tỷ lệ hồ sơ trực tuyến toàn trình",
        recurrence=Recurrence.QUARTERLY,
        target=Target.ALL_COMMUNES,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        report_days=5,
    )
    directive = issue(r, tasks=[task])
    # The quarter whose data window (15th of the month before it to the 14th of its last month) holds today:
    # a report sent today is on time.
    period = TaskPeriod.objects.get(task__directive=directive, starts_on__lte=today, ends_on__gte=today)
    label = f"Quý {period.number}/{period.year}"
    slug = f"quarterly-{period.year}-{period.number}"

    commune = signed_in_page(browser, live_server.url, r.p.specialist)
    commune.goto(f"{live_server.url}/can-bo/")
    commune.get_by_role("link", name="Chỉ thị, nhiệm vụ").first.click()
    row = commune.locator("table[data-table=unit-reports] tbody tr").filter(has_text=label)
    row.get_by_role("link", name="1. Nâng tỷ lệ hồ sơ trực tuyến toàn trình").click()
    commune.get_by_label("Đang triển khai").check()
    commune.get_by_label("Nội dung báo cáo").fill("Đã rà soát các thủ tục đủ điều kiện.")
    commune.get_by_label("Số liệu (mỗi dòng một số liệu: tên: giá trị)").fill("Tỷ lệ trực tuyến (%): 61,5")
    commune.get_by_role("button", name="Gửi báo cáo").click()
    expect(commune.get_by_role("status").first).to_contain_text("Đã gửi báo cáo.")
    report_url = commune.url

    office = signed_in_page(browser, live_server.url, r.coordinator)
    office.goto(report_url)
    office.get_by_label("Lý do trả lại").fill("Bổ sung số hồ sơ trực tuyến của quý")
    office.get_by_role("button", name="Trả lại để hoàn thiện").click()
    expect(office.get_by_role("status").first).to_contain_text("Đã trả lại báo cáo")

    commune.reload()
    reason = commune.get_by_role("status").filter(has_text="Lý do trả lại")
    expect(reason).to_contain_text("Bổ sung số hồ sơ trực tuyến của quý")
    commune.get_by_label("Đã hoàn thành").check()
    commune.get_by_label("Số liệu (mỗi dòng một số liệu: tên: giá trị)").fill(
        "Tỷ lệ trực tuyến (%): 61,5\nHồ sơ trực tuyến: 412"
    )
    commune.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(commune.get_by_role("status").first).to_contain_text("Đã gửi báo cáo.")

    office.reload()
    office.get_by_role("button", name="Chấp nhận báo cáo").click()
    expect(office.get_by_role("status").first).to_contain_text("Đã chấp nhận báo cáo.")
    office.goto(f"{live_server.url}/chi-dao/{directive.pk}/?period={slug}")
    summary = office.locator("table[data-table=summary]")
    expect(summary.get_by_role("row", name="Đã chấp nhận")).to_contain_text("1")
    expect(
        summary.get_by_role("row", name="Nhiệm vụ đã hoàn thành (báo cáo được chấp nhận)")
    ).to_contain_text("1")
    expect(summary.get_by_role("row", name="Gửi đúng hạn")).to_contain_text("1")
    units = office.locator("table[data-table=units] tbody tr")
    expect(units.filter(has_text="Phường Thành Vinh")).to_contain_text("Đã chấp nhận")
