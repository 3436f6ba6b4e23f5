"""Configuration that decides deadlines and power, changed in the admin, leaves a record with the values
before and after, who and when (`ConfigChange`), shown read only; an org unit moved to another parent
takes its whole subtree with it, so scope checks by path stay right."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.core.models import CalendarException, ConfigChange, OrgUnit, User
from motcua.core.roles import Role
from motcua.dossiers.access import visible_dossiers
from motcua.queueing.models import ServiceCounter
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(province, settings) -> Client:
    """A superuser's session, with its second factor given when the admin asks for one."""
    superuser = User.objects.create_superuser("quantri", "quantri@example.vn", "pw-quantri")
    client = Client()
    client.force_login(superuser)
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    assert client.get("/admin/").status_code == 200
    return client


class _Form(HTMLParser):
    """The values an admin change form would submit as rendered."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            if "multiple" not in a:
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


def change(client: Client, url: str, **values: str) -> None:
    data = _Form(client.get(url).content.decode()).data | values
    response = client.post(url, data)
    errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode())
    assert response.status_code == 302, errors


def records(**filters) -> list[ConfigChange]:
    return list(ConfigChange.objects.filter(**filters).order_by("pk"))


def test_a_procedures_time_limit_steps_and_fees_are_recorded(province, admin_client):
    procedure = province.birth
    steps = list(procedure.steps.order_by("position"))
    fee = procedure.fees.get()
    change(
        admin_client,
        f"/admin/catalog/procedure/{procedure.pk}/change/",
        time_limit_amount="5",
        **{"steps-0-duration": "1.5", "fees-0-amount_vnd": "20000", "fees-0-DELETE": "on"},
    )
    (own,) = records(model="catalog.procedure")
    assert (own.action, own.object_id, own.actor.username, own.actor_name) == (
        "change",
        str(procedure.pk),
        "quantri",
        "quantri",
    )
    assert list(own.changes) == ["time_limit_amount"]
    old, new = own.changes["time_limit_amount"]
    assert (Decimal(old), Decimal(new)) == (3, 5)
    (step,) = records(model="catalog.processstep")
    assert step.object_id == str(steps[0].pk) and step.parent_model == "catalog.procedure"
    assert step.parent_id == str(procedure.pk)
    assert [Decimal(v) for v in step.changes["duration"]] == [2, Decimal("1.5")]
    (deleted,) = records(model="catalog.fee")  # the amount was changed, but the row was deleted
    assert (deleted.action, deleted.object_id) == ("delete", str(fee.pk))
    assert deleted.changes["amount_vnd"] == [10000, None] and deleted.changes["name"] == ["Lệ phí", None]
    procedure.refresh_from_db()
    assert procedure.time_limit_amount == 5 and not procedure.fees.exists()


def test_adding_a_step_is_recorded_and_saving_unchanged_records_nothing(province, admin_client):
    url = f"/admin/catalog/procedure/{province.birth.pk}/change/"
    change(admin_client, url)
    assert not ConfigChange.objects.exists()
    change(
        admin_client,
        url,
        **{
            "steps-TOTAL_FORMS": "3",
            "steps-2-position": "3",
            "steps-2-name": "Trả kết quả",
            "steps-2-unit_kind": "receiving_commune",
            "steps-2-role": Role.SPECIALIST,
            "steps-2-duration": "0.5",
            "steps-2-procedure": str(province.birth.pk),
        },
    )
    (added,) = records()
    assert (added.model, added.action, added.parent_id) == (
        "catalog.processstep",
        "add",
        str(province.birth.pk),
    )
    assert added.changes["name"] == [None, "Trả kết quả"] and added.changes["role"] == [
        None,
        "specialist",
    ]


def test_a_users_role_and_unit_are_recorded_and_no_password(province, admin_client):
    officer = province.specialist
    change(
        admin_client,
        f"/admin/core/user/{officer.pk}/change/",
        role=Role.UNIT_LEADER,
        org_unit=str(province.justice.pk),
    )
    (record,) = records(model="core.user")
    assert record.changes == {
        "role": [Role.SPECIALIST, Role.UNIT_LEADER],
        "org_unit": [province.commune.pk, province.justice.pk],
    }
    assert record.object_repr == officer.username
    added = admin_client.post(
        "/admin/core/user/add/",
        {
            "username": "moi",
            "password1": "Mk-rat-dai-2026!",
            "password2": "Mk-rat-dai-2026!",
            "usable_password": "true",
        },
    )
    assert added.status_code == 302
    (new,) = records(model="core.user", action="add")
    assert new.changes["username"] == [None, "moi"] and new.changes["password"] == [None, "***"]
    assert "pbkdf2" not in str(ConfigChange.objects.values_list("changes", flat=True))
    assert "md5" not in str(ConfigChange.objects.values_list("changes", flat=True))


def test_calendar_days_off_added_and_deleted_are_recorded(province, admin_client):
    response = admin_client.post(
        "/admin/core/calendarexception/add/",
        {"day": "04/09/2026", "kind": "day_off", "reason": "Quyết định 12/QĐ-UBND"},
    )
    if response.status_code != 302:  # the date widget's format follows the active language
        response = admin_client.post(
            "/admin/core/calendarexception/add/",
            {"day": "2026-09-04", "kind": "day_off", "reason": "Quyết định 12/QĐ-UBND"},
        )
    assert response.status_code == 302
    day = CalendarException.objects.get()
    assert day.day == date(2026, 9, 4)
    response = admin_client.post(f"/admin/core/calendarexception/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    added, deleted = records(model="core.calendarexception")
    assert added.action == "add" and added.changes["day"] == [None, "2026-09-04"]
    assert added.changes["kind"] == [None, "day_off"]
    assert deleted.action == "delete" and deleted.object_id == str(day.pk)
    assert deleted.changes["reason"] == ["Quyết định 12/QĐ-UBND", None]


def test_counters_and_bulk_deletes_are_recorded(province, admin_client):
    desk = ServiceCounter.objects.create(unit=province.commune, number=1, name="Quầy 1")
    change(
        admin_client, f"/admin/queueing/servicecounter/{desk.pk}/change/", officer=str(province.counter.pk)
    )
    (changed,) = records(model="queueing.servicecounter")
    assert changed.changes == {"officer": [None, province.counter.pk]}
    other = ServiceCounter.objects.create(unit=province.commune, number=2, name="Quầy 2")
    response = admin_client.post(
        "/admin/queueing/servicecounter/",
        {"action": "delete_selected", "_selected_action": [desk.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not ServiceCounter.objects.exists()
    deleted = records(model="queueing.servicecounter", action="delete")
    assert sorted(r.object_id for r in deleted) == sorted([str(desk.pk), str(other.pk)])


def test_the_record_is_shown_read_only(province, admin_client):
    change(admin_client, f"/admin/core/user/{province.specialist.pk}/change/", role=Role.UNIT_LEADER)
    record = ConfigChange.objects.get()
    listing = admin_client.get("/admin/core/configchange/")
    assert listing.status_code == 200 and province.specialist.username in listing.content.decode()
    page = admin_client.get(f"/admin/core/configchange/{record.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Chuyên viên" in text or "specialist" in text
    assert 'name="_save"' not in text
    assert admin_client.get("/admin/core/configchange/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/core/configchange/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    admin_client.post(f"/admin/core/configchange/{record.pk}/change/", {"action": "add"})
    assert ConfigChange.objects.get().action == "change"


# --- moving a unit ---------------------------------------------------------------------------------------


def test_moving_a_commune_moves_its_police_unit_and_the_scope_checks(province):
    district = make_unit("003.00.50.H40", "Cụm xã phía Bắc", OrgUnit.Kind.SUB_UNIT, province.justice)
    district_officer = make_user("cum_bac", Role.SPECIALIST, district)
    commune, police = province.commune, province.commune_police
    dossier = province.receive()
    assert not visible_dossiers(district_officer).filter(pk=dossier.pk).exists()

    commune.parent = district
    commune.save()

    police.refresh_from_db()
    commune.refresh_from_db()
    assert commune.path == f"{district.path}{commune.pk}/"
    assert police.path == f"{district.path}{commune.pk}/{police.pk}/"
    assert set(district.subtree()) == {district, commune, police}
    assert police in province.justice.subtree() and police in province.province.subtree()
    assert commune not in province.center.subtree()
    # Scope by path: the district's officer now sees the commune's dossiers; the commune still does.
    assert visible_dossiers(district_officer).filter(pk=dossier.pk).exists()
    assert visible_dossiers(province.counter).filter(pk=dossier.pk).exists()

    commune.parent = province.province  # and back
    commune.save()
    police.refresh_from_db()
    assert police.path == f"{province.province.path}{commune.pk}/{police.pk}/"
    assert police not in district.subtree()


def test_a_unit_cannot_move_under_itself(province):
    commune = province.commune
    commune.parent = province.commune_police
    with pytest.raises(ValidationError):
        commune.full_clean()
    with pytest.raises(ValidationError):
        commune.save()
    commune.refresh_from_db()
    assert commune.parent == province.province


def test_moving_a_unit_in_the_admin_is_recorded(province, admin_client):
    change(admin_client, f"/admin/core/orgunit/{province.commune.pk}/change/", parent=str(province.center.pk))
    (record,) = records(model="core.orgunit")
    assert record.changes == {
        "parent": [province.province.pk, province.center.pk],
        "path": [province.commune.path, f"{province.center.path}{province.commune.pk}/"],
    }
    province.commune_police.refresh_from_db()
    assert province.commune_police in province.center.subtree()
    refused = admin_client.post(
        f"/admin/core/orgunit/{province.province.pk}/change/",
        _Form(admin_client.get(f"/admin/core/orgunit/{province.province.pk}/change/").content.decode()).data
        | {"parent": str(province.commune.pk)},
    )
    assert refused.status_code == 200
    assert "Không thể chuyển một đơn vị vào chính nó" in refused.content.decode()
    assert OrgUnit.objects.get(pk=province.province.pk).parent is None
