"""Forms of the portal's pages (labels in Vietnamese through gettext; services do the real checks)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.auth import is_locked_out, lockout_message
from motcua.core.models import OrgUnit, citizen_id_validator, tax_code_validator
from motcua.core.roles import Role
from motcua.core.text import place_key
from motcua.dossiers.models import ApplicantKind
from motcua.dossiers.services import SupplementItem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _UnitChoiceIterator = forms.models.ModelChoiceIterator[OrgUnit]
else:  # ModelChoiceIterator is generic only in the stubs
    _UnitChoiceIterator = forms.models.ModelChoiceIterator


class PortalForm(forms.Form):
    """Labels without the trailing colon (the label is the field's accessible name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


SCORES = [("", _("Không đánh giá"))] + [(str(n), str(n)) for n in range(5, 0, -1)]


class RegisterForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Bạn đăng ký với tư cách"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.CITIZEN,
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) hoặc mã số thuế"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh (công dân, như trên thẻ căn cước)"),
        required=False,
        help_text=_("Dùng để đối chiếu với Cơ sở dữ liệu quốc gia về dân cư và xác thực danh tính."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp (nếu đăng ký cho doanh nghiệp)"), max_length=255, required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class PortalLoginForm(AuthenticationForm):
    """Login with the ID number / tax code; failures are counted per name and address (core.auth)."""

    error_messages = {
        "invalid_login": _("Số định danh / mã số thuế hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "officer": _("Tài khoản cán bộ đăng nhập tại trang dành cho cán bộ."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Số định danh cá nhân / mã số thuế")
        self.fields["username"].widget.attrs["inputmode"] = "numeric"
        self.fields["password"].label = _("Mật khẩu")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                if is_locked_out(self.request):
                    raise ValidationError(lockout_message(), code="blocked")
                raise self.get_invalid_login_error()
            if self.user_cache.role != Role.CITIZEN:
                raise ValidationError(self.error_messages["officer"], code="officer")
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ApplicantForm(PortalForm):
    kind = forms.ChoiceField(label=_("Chủ hồ sơ là"), choices=ApplicantKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) hoặc mã số thuế"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    summary = forms.CharField(label=_("Nội dung yêu cầu (trích yếu)"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        validator = citizen_id_validator if data.get("kind") == ApplicantKind.CITIZEN else tax_code_validator
        if data.get("id_number"):
            try:
                validator(data["id_number"].strip())
            except ValidationError as exc:
                self.add_error("id_number", exc.messages[0])
        phone = data.get("phone", "").replace(" ", "")
        if phone and not phone.lstrip("+").isdigit():
            self.add_error("phone", _("Số điện thoại chỉ gồm chữ số."))
        if data.get("email"):
            try:
                validate_email(data["email"].strip())
            except ValidationError:
                self.add_error("email", _("Địa chỉ thư điện tử không hợp lệ."))
        data["phone"] = phone
        return data


class PlaceChoiceIterator(_UnitChoiceIterator):
    """Units in Vietnamese alphabetical order of their own names (Bạch Ngọc, Bích Hào, Bình Minh), which no
    database collation gives."""

    def __iter__(self) -> Iterator[tuple[forms.models.ModelChoiceIteratorValue | str, str]]:
        if self.field.empty_label is not None:
            # A lazy label, as Django's own iterator yields; the stubs want labels as str.
            yield ("", self.field.empty_label)  # type: ignore[misc]
        for unit in sorted(self.queryset, key=lambda u: place_key(u.name)):
            yield self.choice(unit)


class UnitForm(PortalForm):
    receiving_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Nộp hồ sơ tại"), queryset=None, empty_label=_("— Chọn nơi tiếp nhận —")
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_unit"]  # this form's copy of the field
        assert isinstance(field, forms.ModelChoiceField)
        field.iterator = PlaceChoiceIterator  # before the queryset builds the choices
        field.queryset = units
        field.widget.attrs["data-filter"] = _("Gõ để lọc theo tên xã, phường")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})

    def clean(self, data: object, initial: object = None) -> list[UploadedFile[bytes]]:
        if isinstance(data, list | tuple):
            return [super(UploadField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class UploadForm(PortalForm):
    # The form metaclass takes declared fields off the class; the stubs see BaseForm.files (the uploads).
    files = UploadField(label=_("Chọn tệp (PDF, JPEG hoặc PNG)"), required=False)  # type: ignore[assignment]


class SupplementForm(PortalForm):
    """One upload slot and one note per requested item (`dossiers.services.SupplementItem`), answered in
    one submission; a slot without a file refuses the whole submission."""

    def __init__(self, *args: Any, items: Iterable[SupplementItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for i, item in enumerate(self.items):
            self.fields[f"item_{i}_files"] = UploadField(
                label=item.name, required=False, help_text=_("Tệp PDF, JPEG hoặc PNG")
            )
            self.fields[f"item_{i}_note"] = forms.CharField(
                label=_("Ghi chú gửi cán bộ về giấy tờ này (không bắt buộc)"),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def slots(self) -> list[tuple[SupplementItem, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"item_{i}_files"], self[f"item_{i}_note"]) for i, item in enumerate(self.items)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        empty = [i for i in range(len(self.items)) if not data.get(f"item_{i}_files")]
        for i in empty:
            if f"item_{i}_files" not in self.errors:
                self.add_error(f"item_{i}_files", _("Vui lòng chọn tệp cho giấy tờ này."))
        if empty:
            raise ValidationError(
                _(
                    "Chưa gửi được: mỗi giấy tờ được yêu cầu bổ sung cần có tệp. Hồ sơ chưa thay đổi; "
                    "vui lòng chọn tệp cho các giấy tờ còn thiếu rồi gửi lại."
                )
            )
        return data

    def answers(self) -> list[tuple[list[UploadedFile[bytes]], str]]:
        """Each item's uploads and note, in the items' order."""
        data = self.cleaned_data
        return [(data[f"item_{i}_files"], data[f"item_{i}_note"]) for i in range(len(self.items))]


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(PortalForm):
    satisfied = forms.TypedChoiceField(
        label=_("Nhìn chung, bạn có hài lòng với việc giải quyết hồ sơ này không?"),
        choices=[("1", _("Hài lòng")), ("0", _("Không hài lòng"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    attitude = forms.TypedChoiceField(
        label=_("Thái độ của cán bộ (5 là tốt nhất)"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    timeliness = forms.TypedChoiceField(
        label=_("Thời gian giải quyết (5 là tốt nhất)"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    guidance = forms.TypedChoiceField(
        label=_("Hướng dẫn, thông tin thủ tục (5 là tốt nhất)"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _birth_date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class PopulationVerifyForm(PortalForm):
    """Verify the signed-in account with the population database (number and name are the account's)."""

    birth_date = _birth_date_field(_("Ngày sinh (như trên thẻ căn cước)"))


class VneidSandboxForm(PortalForm):
    """The sandbox VNeID's own page: whoever uses it says who they are (development and tests only)."""

    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=12, validators=[citizen_id_validator]
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    birth_date = _birth_date_field(_("Ngày sinh"))
    level = forms.TypedChoiceField(
        label=_("Mức định danh điện tử"),
        choices=[("2", _("Mức 2")), ("1", _("Mức 1"))],
        coerce=int,
        initial="2",
        widget=forms.RadioSelect,
    )


class TrackingForm(PortalForm):
    """The public tracking's two inputs, normalised here once: the code as printed (upper case, no spaces
    around or inside), the second factor without spaces (the selector compares its digits)."""

    CODE_LENGTH = 40
    FACTOR_LENGTH = 20

    ma = forms.CharField(required=False, strip=False)
    xac_thuc = forms.CharField(required=False, strip=False)

    def clean_ma(self) -> str:
        return "".join(self.cleaned_data["ma"].split()).upper()[: self.CODE_LENGTH]

    def clean_xac_thuc(self) -> str:
        return "".join(self.cleaned_data["xac_thuc"].split())[: self.FACTOR_LENGTH]
