"""Decision 766 as the Decision writes it: five groups and their points, thresholds per year from the
database, the admin's check of a threshold, and what the indicator page shows."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from motcua.catalog.models import Procedure
from motcua.core.models import User
from motcua.quality import indicators
from motcua.quality.admin import IndicatorThresholdForm
from motcua.quality.decision766 import GROUPS, INDICATORS
from motcua.quality.models import IndicatorThreshold
from motcua.quality.periods import month
from motcua.quality.selectors import Scope

MARCH_2026 = "?kind=month&month=3&year=2026"
SEEDING = importlib.import_module("motcua.quality.migrations.0002_indicator_thresholds")


@pytest.fixture(autouse=True)
def _thresholds_as_migrated(db):
    """The rows the migration seeds. A transactional test flushes every table when it ends, seeds included,
    and may have run before this module on the same worker: seed them again as the migration does."""
    if not IndicatorThreshold.objects.exists():
        SEEDING.seed(django_apps, None)


def test_five_groups_as_the_decision_gives_them_add_up_to_100():
    assert [(g.number, g.points) for g in GROUPS] == [(1, 18), (2, 20), (3, 22), (4, 22), (5, 18)]
    assert sum(g.points for g in GROUPS) == 100
    online, payment = GROUPS[2].lines  # the national scoreboard shows group 3 as two columns
    assert (online.points, payment.points) == (12, 10)


def test_every_indicator_adds_to_its_group_and_scoreboard_line():
    for group in GROUPS:
        members = [ind for ind in INDICATORS if ind.group == group.number]
        assert members and sum(ind.points for ind in members) == group.points
        assert sum(line.points for line in group.lines) == group.points
        for line in group.lines:
            assert sum(ind.points for ind in members if ind.line is line) == line.points
    assert sum(ind.points for ind in INDICATORS) == 100


def test_the_decisions_numbering_beside_the_stable_ids():
    ref = {ind.id: (ind.reference, ind.group) for ind in INDICATORS}
    assert ref["1.4"] == ("1.4", 1) and ref["2.1"] == ("2.1", 2)
    assert ref["3.3"] == ("3.3", 3) and ref["4.3"] == ("3.6", 3)  # online payment: group 3
    assert ref["5.1"] == ("4.1", 4) and ref["5.7"] == ("4.7", 4)  # digitisation: group 4
    assert ref["6.3"] == ("5.3", 5)  # satisfaction: group 5
    assert (
        len({ind.id for ind in INDICATORS}) == len({ind.reference for ind in INDICATORS}) == len(INDICATORS)
    )


def test_the_migration_seeds_the_guidance_values_for_2024_to_2027(db):
    for year in (2024, 2027):
        seeded = dict(IndicatorThreshold.objects.filter(year=year).values_list("indicator_id", "threshold"))
        scored = {ind.id for ind in INDICATORS if ind.points}
        assert set(seeded) == scored
        assert {k: v for k, v in seeded.items() if v != 1} == {
            "3.1": Decimal("0.8"),  # procedures offering online service
            "3.3": Decimal("0.5"),  # online dossiers
            "4.3": Decimal("0.8"),  # dossiers paid online / fee-bearing dossiers
            "5.2": Decimal("0.8"),  # digitised inputs + e-result
            "5.4": Decimal("0.8"),  # reuse of digitised data
            "6.3": Decimal("0.9"),  # satisfaction
        }


@pytest.fixture
def two_of_three_online(province):
    """Indicator 3.1 from the catalogue alone: 2 of the 3 published procedures offer an online service."""
    Procedure.objects.update(online_level=Procedure.OnlineLevel.FULL)
    Procedure.objects.filter(pk=province.nationality.pk).update(online_level=Procedure.OnlineLevel.NONE)
    return province


def online_services(province, year: int, m: int = 3) -> indicators.Result:
    results = indicators.compute(scope=Scope.of(province.province), period=month(year, m))
    return next(r for r in results if r.indicator.id == "3.1")


def test_a_period_uses_its_years_threshold_and_a_change_in_the_table_changes_the_score(two_of_three_online):
    r = online_services(two_of_three_online, 2026)
    assert (r.numerator, r.denominator) == (2, 3)
    assert r.threshold == indicators.Threshold(0.8, 2026)
    assert r.score == pytest.approx((2 / 3) * 4 / 0.8)

    IndicatorThreshold.objects.filter(year=2026, indicator_id="3.1").update(threshold=Decimal("0.6"))
    r = online_services(two_of_three_online, 2026)
    assert r.threshold == indicators.Threshold(0.6, 2026) and r.score == 4  # 66.7 % ≥ 60 %: full points
    assert online_services(two_of_three_online, 2025).score == pytest.approx((2 / 3) * 4 / 0.8)


def test_a_year_without_a_row_falls_back_to_the_latest_earlier_year_then_to_the_table(two_of_three_online):
    IndicatorThreshold.objects.filter(year=2027, indicator_id="3.1").update(threshold=Decimal("0.5"))
    r = online_services(two_of_three_online, 2029)
    assert r.threshold == indicators.Threshold(0.5, 2027) and r.score == 4

    IndicatorThreshold.objects.filter(indicator_id="3.1").delete()
    assert indicators.thresholds(2026)["3.1"] == indicators.Threshold(0.8, None)  # the table's default
    assert indicators.thresholds(2023)["1.1"] == indicators.Threshold(1.0, None)  # before the first year
    assert "2.2" not in indicators.thresholds(2026)  # shown, not scored


def test_a_row_of_a_later_year_is_not_used_before_that_year(db):
    IndicatorThreshold.objects.create(year=2030, indicator_id="3.3", threshold=Decimal("0.7"))
    assert indicators.thresholds(2030)["3.3"] == indicators.Threshold(0.7, 2030)
    assert indicators.thresholds(2029)["3.3"] == indicators.Threshold(0.5, 2027)


def test_summary_gives_each_group_and_scoreboard_line_its_points(two_of_three_online):
    results = indicators.compute(scope=Scope.of(two_of_three_online.province), period=month(2026, 3))
    s = indicators.summary(results)
    assert [(g.group.number, g.total.total_points) for g in s.groups] == [
        (1, 18),
        (2, 20),
        (3, 22),
        (4, 22),
        (5, 18),
    ]
    online, payment = s.groups[2].lines
    assert (online.total.total_points, payment.total.total_points) == (12, 10)
    assert [r.indicator.id for r in online.total.results] == ["3.1", "3.2", "3.3"]
    assert s.score == pytest.approx(sum(g.total.score for g in s.groups))


@pytest.mark.parametrize("value", ["0", "1,5", "-0.2"])
def test_the_admin_refuses_a_threshold_outside_0_to_1(db, value):
    form = IndicatorThresholdForm(data={"year": 2028, "indicator_id": "5.2", "threshold": value})
    assert not form.is_valid()
    assert "phải lớn hơn 0 và không quá 1" in form.errors["threshold"][0]


def test_the_admin_offers_only_the_scored_indicators(db):
    form = IndicatorThresholdForm(data={"year": 2028, "indicator_id": "2.2", "threshold": "0,5"})
    assert not form.is_valid() and "indicator_id" in form.errors
    assert IndicatorThresholdForm(data={"year": 2028, "indicator_id": "5.2", "threshold": "1"}).is_valid()


def test_the_admin_page_saves_a_valid_threshold_and_explains_a_wrong_one(client, db):
    client.force_login(User.objects.create_superuser("root", password="pw-root"))
    url = "/admin/quality/indicatorthreshold/add/"
    page = client.post(url, {"year": 2028, "indicator_id": "5.2", "threshold": "0"}).content.decode()
    assert "Ngưỡng 0 không hợp lệ" in page and "phải lớn hơn 0 và không quá 1" in page
    page = client.post(url, {"year": 2028, "indicator_id": "5.2", "threshold": "1,5"}).content.decode()
    assert "Ngưỡng 1,5 không hợp lệ" in page
    assert not IndicatorThreshold.objects.filter(year=2028).exists()

    response = client.post(url, {"year": 2028, "indicator_id": "5.2", "threshold": "0,85"})
    assert response.status_code == 302
    assert IndicatorThreshold.objects.get(year=2028, indicator_id="5.2").threshold == Decimal("0.85")
    duplicate = client.post(url, {"year": 2028, "indicator_id": "5.2", "threshold": "0,9"})
    assert duplicate.status_code == 200  # unique per year and indicator
    listing = client.get("/admin/quality/indicatorthreshold/?year=2028").content.decode()
    assert "4.2" in listing and "85,0 %" in listing  # the Decision's number, T in percent


def test_the_page_shows_groups_thresholds_and_the_withdrawal_rule(client, two_of_three_online, settings):
    client.force_login(two_of_three_online.admin)  # the center: all published procedures
    page = client.get("/chat-luong/" + MARCH_2026).content.decode()
    for header in (
        "Nhóm 1. Công khai, minh bạch — tối đa 18 điểm",
        "Nhóm 2. Tiến độ giải quyết — tối đa 20 điểm",
        "Nhóm 3. Cung cấp dịch vụ công trực tuyến, thanh toán trực tuyến — tối đa 22 điểm",
        "Nhóm 4. Số hóa hồ sơ — tối đa 22 điểm",
        "Nhóm 5. Mức độ hài lòng — tối đa 18 điểm",
        "Cột “Dịch vụ công trực tuyến” của bảng điểm quốc gia — tối đa 12 điểm",
        "Cột “Thanh toán trực tuyến” của bảng điểm quốc gia — tối đa 10 điểm",
    ):
        assert header in page
    assert "4.1. Hồ sơ có kết quả điện tử" in page and "(mã 5.1)" in page
    assert "66,7 %" in page  # 3.1: 2 of 3
    assert "80,0 %" in page and "ngưỡng năm 2026" in page
    assert "3,33 / 4" in page  # (2/3) × 4 / 0.8
    assert "Rút hồ sơ sau tiếp nhận:" in page and "không tính là kết thúc xử lý" in page

    settings.QUALITY_WITHDRAWAL_ENDS_PROCESSING = True
    IndicatorThreshold.objects.filter(indicator_id="3.1").delete()
    page = client.get("/chat-luong/" + MARCH_2026).content.decode()
    assert "<strong>tính là kết thúc xử lý</strong>" in page
    assert "ngưỡng mặc định" in page
