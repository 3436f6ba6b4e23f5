"""One page guard (core.decorators) and one way to show a refused act on a form (core.forms), shared by the
back office, the queue, quality and the portal (#14 item 1)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from motcua.core.decorators import counter_required, role_required
from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.forms import add_domain_error
from motcua.core.roles import Role
from tests.factories import make_user


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("trang")


def open_as(view, user) -> HttpResponse:
    request = RequestFactory().get("/trang/")
    request.user = user
    return view(request)


@pytest.mark.django_db
def test_a_counter_page_lets_in_the_counter_and_the_center_admin_only():
    view = counter_required(page)
    assert open_as(view, AnonymousUser())["Location"].startswith("/can-bo/dang-nhap/?next=")
    allowed = {
        role: open_as(view, make_user(role.value, role)).status_code
        for role in (Role.COUNTER_OFFICER, Role.CENTER_ADMIN, Role.SPECIALIST, Role.CITIZEN)
    }
    assert allowed == {
        Role.COUNTER_OFFICER: 200,
        Role.CENTER_ADMIN: 200,
        Role.SPECIALIST: 403,
        Role.CITIZEN: 403,
    }
    assert open_as(view, make_user("gone", Role.COUNTER_OFFICER, is_active=False)).status_code == 403


@pytest.mark.django_db
def test_a_guard_has_its_own_login_page_and_extra_condition():
    view = role_required(
        {Role.CITIZEN},
        forbidden_template="portal/403.html",
        login_url="portal:login",
        also=lambda request: request.user.username != "blocked",
    )(page)
    assert open_as(view, AnonymousUser())["Location"].startswith("/tai-khoan/dang-nhap/?next=")
    assert open_as(view, make_user("citizen", Role.CITIZEN)).status_code == 200
    assert open_as(view, make_user("blocked", Role.CITIZEN)).status_code == 403


class ApplicantForm(forms.Form):
    name = forms.CharField()
    phone = forms.CharField()


def test_a_refused_act_shows_its_message_on_top_and_each_field_message_on_its_field():
    form = ApplicantForm({"name": "An", "phone": "1"})
    assert form.is_valid()
    error = ValidationFailed(
        "Thông tin hồ sơ chưa hợp lệ.",
        fields={
            "phone": FieldError("invalid", "Số điện thoại không đúng."),
            "name": FieldError("required"),
            "email": FieldError("invalid", "Thư điện tử sai."),
        },
    )
    add_domain_error(form, error)
    assert form.errors["phone"] == ["Số điện thoại không đúng."]
    assert "name" not in form.errors  # no message of its own: the one on top says it
    assert form.non_field_errors() == ["Thông tin hồ sơ chưa hợp lệ.", "Thư điện tử sai."]


def test_fields_name_a_code_for_programs_and_a_message_for_people():
    error = ValidationFailed(
        "Vui lòng ghi rõ lý do.",
        fields={"reason": FieldError("required"), "otp": FieldError("invalid", "Sai mã.")},
    )
    assert error.field_codes() == {"reason": "required", "otp": "invalid"}
    assert error.field_messages() == {"reason": "Vui lòng ghi rõ lý do.", "otp": "Sai mã."}
    with pytest.raises(TypeError):
        ValidationFailed("Vui lòng ghi rõ lý do.", fields={"reason": "required"})  # type: ignore[dict-item]
