"""Satisfaction rating: once per dossier, from "my dossiers" or after tracking with the second factor."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from motcua.dossiers.states import Status
from motcua.portal.selectors import ratings_between
from motcua.quality.models import Rating
from tests.dossiers.helpers import dossier_in

ANSWERS = {"satisfied": "1", "attitude": "5", "timeliness": "4", "guidance": "5", "comment": "Nhanh"}


@pytest.fixture
def finished(province):
    return dossier_in(province, Status.FINISHED)


def test_rated_once_after_tracking(client, province, finished):
    url = f"/danh-gia/{finished.code}/"
    assert client.get(url).status_code == 302  # not tracked yet: to the login, not the form
    client.get("/tra-cuu/", {"ma": finished.code, "xac_thuc": "040090009999"})  # wrong factor
    assert client.get(url).status_code == 302
    tracked = client.get("/tra-cuu/", {"ma": finished.code, "xac_thuc": "040090001234"})
    assert url in tracked.content.decode()
    assert client.post(url, ANSWERS).status_code == 302
    rating = Rating.objects.get()
    assert (rating.satisfied, rating.attitude, rating.timeliness, rating.comment) == (True, 5, 4, "Nhanh")
    again = client.post(url, ANSWERS | {"satisfied": "0"})
    assert again.status_code == 409 and "chỉ đánh giá một lần" in again.content.decode()
    assert Rating.objects.count() == 1 and Rating.objects.get().satisfied is True


def test_applicant_rates_from_my_dossiers(client, province, finished):
    finished.applicant_user = province.citizen
    finished.save(update_fields=["applicant_user"])
    client.force_login(province.citizen)
    assert f"/danh-gia/{finished.code}/" in client.get(f"/ho-so-cua-toi/{finished.code}/").content.decode()
    assert (
        client.post(f"/danh-gia/{finished.code}/", ANSWERS | {"satisfied": "0", "attitude": ""}).status_code
        == 302
    )
    assert Rating.objects.get().attitude is None
    client.force_login(province.other_citizen)
    assert client.get(f"/danh-gia/{finished.code}/").status_code == 404


def test_not_rateable_before_the_result(client, province):
    d = dossier_in(province, Status.PROCESSING)
    client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": "040090001234"})
    assert client.post(f"/danh-gia/{d.code}/", ANSWERS).status_code == 400
    assert not Rating.objects.exists()


def test_ratings_between_for_the_quality_indicators(client, province, finished):
    client.get("/tra-cuu/", {"ma": finished.code, "xac_thuc": "040090001234"})
    client.post(f"/danh-gia/{finished.code}/", ANSWERS | {"satisfied": "0"})
    now = timezone.now()
    window = (now - timedelta(hours=1), now + timedelta(hours=1))
    assert [r.satisfied for r in ratings_between(*window, province.commune.path)] == [False]
    assert ratings_between(*window, province.other_commune.path).count() == 0
    assert ratings_between(now + timedelta(hours=1), now + timedelta(hours=2)).count() == 0


def test_without_login_the_rating_link_leads_to_the_citizen_login_and_back(client, province, finished):
    """It was a bare 404 (the link of "my dossiers" or a notification opened in another browser)."""
    finished.applicant_user = province.citizen
    finished.save(update_fields=["applicant_user"])
    url = f"/danh-gia/{finished.code}/"
    page = client.get(url, follow=True)
    login = f"/tai-khoan/dang-nhap/?next={quote(url)}"
    assert page.redirect_chain == [(login, 302)] and page.status_code == 200
    assert "Hãy đăng nhập bằng tài khoản của người nộp hồ sơ để đánh giá" in page.content.decode()
    assert finished.applicant_name not in page.content.decode()
    # An unknown code is sent the same way: the redirect says nothing of which codes exist.
    assert client.get("/danh-gia/KHONG-CO/").url == "/tai-khoan/dang-nhap/?next=/danh-gia/KHONG-CO/"
    signed_in = client.post(
        login, {"username": province.citizen.username, "password": f"pw-{province.citizen.username}"}
    )
    assert signed_in.status_code == 302 and signed_in.url == url
    assert client.get(url).status_code == 200
    client.logout()
    client.post(
        login,
        {"username": province.other_citizen.username, "password": f"pw-{province.other_citizen.username}"},
    )
    assert client.get(url).status_code == 404  # signed in, not the applicant: never someone else's
