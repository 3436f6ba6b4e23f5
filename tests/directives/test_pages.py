"""The directive pages: a unit sends its report, the coordinator returns and accepts it, the dashboard and
its DOCX/XLSX exports show the quarter's figures; others see nothing."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.directives import services
from motcua.directives.models import Progress, Report, ReportStatus
from tests.directives.helpers import build_reform, issue, slot_of
from tests.factories import local

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scene():
    r = build_reform()
    directive = issue(r)
    commune, q1 = slot_of(directive, 1, r.p.commune)
    justice, justice_q1 = slot_of(directive, 2, r.p.justice)
    report = services.submit_report(
        acting_user=r.p.justice_specialist,
        assignment=justice,
        period=justice_q1,
        progress=Progress.COMPLETED,
        content="Đã rà soát 12 thủ tục.",
        now=local(2024, 3, 20, 9),  # late: due 19/03
    )
    services.accept_report(acting_user=r.coordinator, report=report, version=1)
    return r, directive, commune, q1


def test_send_return_send_again_accept_through_the_pages(scene):
    r, _directive, commune, q1 = scene
    url = reverse("directives:report", args=[commune.pk, q1.pk])
    unit = client_for(r.p.specialist)
    assert "Cải thiện tỷ lệ hồ sơ đúng hạn" in unit.get(reverse("directives:home")).content.decode()

    refused = unit.post(url, {"progress": "completed", "content": "Xong", "figures": "Tỷ lệ: nhiều"})
    assert (
        refused.status_code == 400 and "cần tên (tối đa 200 ký tự) và một con số" in refused.content.decode()
    )
    sent = unit.post(
        url, {"progress": "in_progress", "content": "Đạt 96%", "figures": "Tỷ lệ đúng hạn (%): 96,5"}
    )
    assert sent.status_code == 302
    report = Report.objects.get(assignment=commune, period=q1)
    assert report.figures == [["Tỷ lệ đúng hạn (%)", "96.5"]]

    review = reverse("directives:review", args=[commune.pk, q1.pk])
    coordinator = client_for(r.coordinator)
    assert coordinator.post(review, {"version": 1, "decision": "return", "reason": ""}).status_code == 400
    coordinator.post(review, {"version": 1, "decision": "return", "reason": "Thiếu số liệu tháng 3"})
    page = unit.get(url).content.decode()
    assert "Thiếu số liệu tháng 3" in page and "Gửi lại báo cáo" in page
    unit.post(url, {"version": 2, "progress": "completed", "content": "Đạt 97%", "figures": ""})
    coordinator.post(review, {"version": 3, "decision": "accept"})
    stale = coordinator.post(review, {"version": 3, "decision": "accept"}, follow=True)
    assert "vừa được người khác cập nhật" in stale.content.decode()
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.ACCEPTED, 4)


def test_the_dashboard_and_its_exports_count_the_quarter(scene):
    r, directive, _commune, _q1 = scene
    coordinator = client_for(r.coordinator)
    page = coordinator.get(
        reverse("directives:dashboard", args=[directive.pk]), {"period": "quarterly-2024-1"}
    )
    assert page.status_code == 200
    summary = dict(page.context["summary"])
    assert summary["Lượt báo cáo phải gửi (đơn vị × nhiệm vụ)"] == 3
    assert (summary["Gửi trễ hạn"], summary["Chưa gửi, đã quá hạn"], summary["Đã chấp nhận"]) == (1, 2, 1)
    assert summary["Tỷ lệ hoàn thành (%)"] == 33.3

    export = reverse("directives:export", args=[directive.pk, "xlsx"])
    book = load_workbook(io.BytesIO(coordinator.get(export, {"period": "quarterly-2024-1"}).content))
    rows = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert (
        rows["Gửi trễ hạn"] == 1
        and rows["Chưa gửi, đã quá hạn"] == 2
        and rows["Tỷ lệ hoàn thành (%)"] == 33.3
    )
    assert [row[1] for row in book["Theo đơn vị"].iter_rows(min_row=2, values_only=True)] == [
        "Phường Thành Vinh",
        "Xã Hưng Nguyên",
        "Sở Tư pháp",
    ]
    export = reverse("directives:export", args=[directive.pk, "docx"])
    document = Document(io.BytesIO(coordinator.get(export, {"period": "quarterly-2024-1"}).content))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["Gửi trễ hạn"] == "1" and cells["Tỷ lệ hoàn thành (%)"] == "33,3"
    texts = [p.text for p in document.paragraphs]
    assert "Sở Tư pháp — nhiệm vụ 2" in texts  # late
    assert "Xã Hưng Nguyên — nhiệm vụ 1" in texts  # missing


def test_others_see_nothing(scene):
    r, directive, commune, q1 = scene
    url = reverse("directives:report", args=[commune.pk, q1.pk])
    assert client_for(r.p.counter).get(url).status_code == 403  # a counter officer reports for no one
    assert client_for(r.other_commune_specialist).get(url).status_code == 404  # another commune's slot
    assert (
        client_for(r.p.specialist).get(reverse("directives:dashboard", args=[directive.pk])).status_code
        == 404
    )
    assert (
        client_for(r.p.specialist)
        .post(reverse("directives:review", args=[commune.pk, q1.pk]), {"version": 1, "decision": "accept"})
        .status_code
        == 400
    )  # nothing sent yet: nothing to review
