"""Fees by submission channel: `fees_for`, the demo's channels as published, the pages, the admin check."""

from html.parser import HTMLParser

import pytest

from motcua.catalog.admin import FeeForm
from motcua.catalog.models import Fee, Procedure
from motcua.catalog.selectors import fees_by_channel, fees_for, fees_summary
from tests.payments.test_fees_by_channel import by_channel
from tests.portal.helpers import pdf_upload
from tests.portal.test_submission import BASE, fill_to_components

pytestmark = pytest.mark.django_db
ALL, ONLINE, COUNTER, POST = Fee.Channel.ALL, Fee.Channel.ONLINE, Fee.Channel.COUNTER, Fee.Channel.POST


def amounts(procedure: Procedure, channel: str) -> list[int | None]:
    return [fee.amount_vnd for fee in fees_for(procedure, channel)]


@pytest.fixture
def residence(province) -> Procedure:
    by_channel(
        province.birth,
        ("Lệ phí – trực tuyến", ONLINE, 7000),
        ("Lệ phí – trực tiếp", COUNTER, 10000),
    )
    return province.birth


def test_fees_for_keeps_the_fees_of_every_channel_and_of_its_own(province):
    by_channel(
        province.birth,
        ("Phí công bố", ALL, 100000),
        ("Lệ phí – trực tuyến", ONLINE, 7000),
        ("Lệ phí – trực tiếp", COUNTER, 10000),
    )
    assert amounts(province.birth, "online") == [100000, 7000]
    assert amounts(province.birth, "counter") == [100000, 10000]
    assert amounts(province.birth, "post") == [100000]


@pytest.mark.parametrize("channel", ["all", "", "trực tuyến"])
def test_fees_for_refuses_what_is_not_a_channel(province, channel):
    with pytest.raises(ValueError, match="not a submission channel"):
        fees_for(province.birth, channel)


def test_summaries_show_each_channel_only_when_the_fees_differ(province, residence):
    assert fees_summary(residence) == "Trực tuyến: 7.000 đồng · Trực tiếp: 10.000 đồng"
    assert fees_summary(residence, "online") == "7.000 đồng"
    assert fees_summary(residence, "post") == "Không có thông tin"
    Procedure.objects.filter(pk=residence.pk).update(online_level=Procedure.OnlineLevel.NONE)
    residence.refresh_from_db()
    assert fees_by_channel(residence) == [("Trực tiếp", "10.000 đồng")]  # no online dossier to pay it
    by_channel(residence, ("Lệ phí", ALL, 10000))
    assert (fees_by_channel(residence), fees_summary(residence)) == ([], "10.000 đồng")


def test_the_procedure_page_shows_the_amount_of_each_channel(client, province, residence):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "<li>Trực tuyến: 7.000 đồng</li>" in html and "<li>Trực tiếp: 10.000 đồng</li>" in html
    assert "Trực tuyến: 7.000 đồng · Trực tiếp: 10.000 đồng" in client.get("/").content.decode()


def test_the_online_submission_shows_the_online_fee_only(client, province, residence, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(province.citizen)
    fill_to_components(client, province)
    client.post(BASE + "giay-to-1/", {"files": pdf_upload(), "action": "next"})
    client.post(BASE + "giay-to-2/", {"action": "next"})
    page = client.get(BASE + "le-phi/").content.decode()
    assert "Lệ phí – trực tuyến" in page and "7.000 đồng" in page
    assert "Lệ phí – trực tiếp" not in page and "10.000 đồng" not in page
    client.post(BASE + "le-phi/", {"action": "next"})
    review = client.get(BASE + "xem-lai/").content.decode()
    assert "7.000 đồng" in review and "10.000 đồng" not in review


# --- the admin refuses a channel that contradicts the fee's name --------------------------------------


def fee_form(procedure: Procedure, name: str, channel: str) -> FeeForm:
    data = {"position": 9, "name": name, "channel": channel, "amount_vnd": 7000, "note": ""}
    return FeeForm(data=data, instance=Fee(procedure=procedure))


def test_fee_form_refuses_a_channel_other_than_the_one_named(province):
    form = fee_form(province.birth, "Lệ phí đăng ký tạm trú – trực tuyến", ALL)
    assert not form.is_valid()
    assert form.errors["channel"] == [
        "Tên khoản phí ghi hình thức nộp “Trực tuyến” nhưng khoản phí được áp dụng cho “Mọi hình thức nộp”. "
        "Hãy chọn hình thức nộp “Trực tuyến”, hoặc sửa tên nếu khoản phí áp dụng cho hình thức khác."
    ]
    assert fee_form(province.birth, "Lệ phí đăng ký tạm trú – trực tuyến", ONLINE).is_valid()
    assert fee_form(province.birth, "Lệ phí", COUNTER).is_valid()


def test_fee_form_refuses_an_online_fee_of_a_procedure_not_offered_online(province):
    Procedure.objects.filter(pk=province.birth.pk).update(online_level=Procedure.OnlineLevel.NONE)
    province.birth.refresh_from_db()
    form = fee_form(province.birth, "Lệ phí", ONLINE)
    assert not form.is_valid()
    assert "không tiếp nhận hồ sơ trực tuyến" in form.errors["channel"][0]


def test_fee_form_refuses_an_unknown_channel(province):
    form = fee_form(province.birth, "Lệ phí", "fax")
    assert not form.is_valid() and "fax" in form.errors["channel"][0]


# --- the demo loader sets the channels as published ---------------------------------------------------


# The demo catalogue (tests/catalog/conftest.py `demo`), loaded once for the tests below, which read it.
# It stays until the module ends: the tests that use it come last (it has the factories' unit codes).
def rows(code: str) -> list[tuple[str, int | None]]:
    return [(fee.channel, fee.amount_vnd) for fee in Procedure.objects.get(code=code).fees.all()]


def test_demo_temporary_residence_7000_online_10000_at_the_counter(demo):
    residence = Procedure.objects.get(code="1.004194")
    assert rows("1.004194") == [(ONLINE, 7000), (COUNTER, 10000)]
    assert (amounts(residence, "online"), amounts(residence, "counter")) == ([7000], [10000])
    assert amounts(residence, "post") == []


def test_demo_company_registration_fee_is_waived_online_only(demo):
    company = Procedure.objects.get(code="2.001583")
    # The publication fee for every channel; the registration fee "(nộp trực tiếp)" for paper dossiers.
    assert rows("2.001583") == [(ALL, 100000), (COUNTER, 50000), (POST, 50000)]
    assert amounts(company, "online") == [100000]
    assert amounts(company, "counter") == amounts(company, "post") == [100000, 50000]
    post = company.fees.get(channel=POST)
    assert post.name == "Lệ phí đăng ký doanh nghiệp (nộp qua bưu chính)"
    assert post.note.startswith("Dữ liệu mẫu thêm dòng này")


def test_demo_other_fees_by_channel(demo):
    assert rows("1.004222") == [(ONLINE, 10000), (COUNTER, 20000)]  # permanent residence
    assert rows("1.010038") == [(COUNTER, 10000), (ONLINE, 5000)]  # household split
    assert rows("3.000347") == [(ALL, 135000)]  # the 115.000 đ online rate ended on 31/12/2025
    assert rows("2.001610") == [(ALL, 100000)]  # "100 VNĐ" online: a display error
    assert rows("1.001193") == [(ALL, 0)]
    others = Fee.objects.exclude(procedure__code__in=["1.004222", "1.004194", "1.010038", "2.001583"])
    assert set(others.values_list("channel", flat=True)) == {ALL}


class _Fields(HTMLParser):
    """The submitted values of a rendered admin change form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def test_the_admin_shows_the_message_and_saves_once_corrected(client, demo):
    assert client.login(username="quantri", password="motcua-demo")
    residence = Procedure.objects.get(code="1.004194")
    url = f"/admin/catalog/procedure/{residence.pk}/change/"
    parser = _Fields()
    parser.feed(client.get(url).content.decode())
    data = parser.data | {"fees-0-channel": "all"}  # the online fee put on every channel
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tên khoản phí ghi hình thức nộp “Trực tuyến”" in response.content.decode()
    assert residence.fees.get(position=1).channel == ONLINE
    data["fees-0-channel"] = "online"
    assert client.post(url, data).status_code == 302
