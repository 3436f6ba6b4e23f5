"""Input forms of the officials' pages. They parse and check the shape of the input; the services decide."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.forms import FilesField
from motcua.core.models import OrgUnit, User, citizen_id_validator, tax_code_validator
from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.states import Act

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _UserChoiceField = forms.ModelChoiceField[User]
else:  # ModelChoiceField is generic only in the stubs
    _UserChoiceField = forms.ModelChoiceField

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_REASON = 4000


REASON_LABEL = _("Lý do")


def _reason_field(label: StrOrPromise | None = None, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label or REASON_LABEL,
        required=required,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- counter reception -----------------------------------------------------------------------------


class ReceptionForm(forms.Form):
    """The applicant and the dossier as the counter officer enters them (the components come apart)."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(Channel.COUNTER.value, _("Trực tiếp")), (Channel.POST.value, _("Bưu chính"))],
        initial=Channel.COUNTER.value,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Chủ hồ sơ là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.CITIZEN.value,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) hoặc mã số thuế"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"), max_length=15, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    other_missing = forms.CharField(
        label=_("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = _reason_field(_("Lý do (bắt buộc khi từ chối)"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number = (data.get("applicant_id_number") or "").strip()
        if number and self.needs_identity:
            validator = (
                citizen_id_validator
                if data.get("applicant_kind") == ApplicantKind.CITIZEN
                else tax_code_validator
            )
            try:
                validator(number)
            except ValidationError as exc:
                self.add_error("applicant_id_number", exc)
        return data

    needs_identity = True


class GuidanceForm(ReceptionForm):
    """For the supplement guidance slip only the applicant's name is needed (the visit is recorded)."""

    needs_identity = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant_id_number"].required = False


# --- acts on a dossier -----------------------------------------------------------------------------


class ActForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, dossier: Dossier | None = None, **kwargs: Any) -> None:
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, object]:
        """The act's keyword arguments for the service (besides dossier and acting_user)."""
        return {}


class OpinionForm(ActForm):
    opinion = forms.CharField(
        label=_("Ý kiến xử lý"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_kwargs(self) -> dict[str, object]:
        return {"opinion": self.cleaned_data["opinion"]}


class NoteForm(ActForm):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_kwargs(self) -> dict[str, object]:
        return {"note": self.cleaned_data["note"]}


class ReasonForm(ActForm):
    reason = _reason_field()

    def service_kwargs(self) -> dict[str, object]:
        return {"reason": self.cleaned_data["reason"]}


class MissingItemsForm(ActForm):
    """Form 02: every missing item, once and fully: the procedure's components plus free text."""

    missing = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ cần bổ sung"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_missing = forms.CharField(
        label=_("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            names = [c.name for c in self.dossier.procedure.components.all()]
            missing = self.fields["missing"]  # this form's copy of the field
            assert isinstance(missing, forms.MultipleChoiceField)
            missing.choices = [(n, n) for n in names]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        items = list(data.get("missing") or []) + _lines(data.get("other_missing") or "")
        if not items:
            raise ValidationError(_("Vui lòng liệt kê đầy đủ từng giấy tờ cần bổ sung."))
        data["items"] = items
        return data

    def service_kwargs(self) -> dict[str, object]:
        return {"missing": self.cleaned_data["items"], "reason": self.cleaned_data["reason"]}


class SupplementRequestForm(MissingItemsForm):
    """Form 02 after appraisal: each ticked component and each typed line is one item, which the applicant
    answers in a slot of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_missing"].help_text = _(
            "Mỗi dòng là một giấy tờ; người nộp gửi tệp riêng cho từng giấy tờ được yêu cầu."
        )


class AssigneeChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class AssignForm(ActForm):
    assignee = AssigneeChoiceField(label=_("Giao cho"), queryset=User.objects.none())

    def __init__(self, *args: Any, assignees: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]  # this form's copy of the field
        assert isinstance(field, AssigneeChoiceField)
        field.queryset = assignees if assignees is not None else User.objects.none()

    def service_kwargs(self) -> dict[str, object]:
        return {"assignee": self.cleaned_data["assignee"]}


class RescheduleForm(ActForm):
    """The apology letter (form 04): the new appointment, date and time in Vietnam time, and the reason."""

    new_date = forms.DateField(
        label=_("Ngày hẹn mới (dd/mm/yyyy)"),
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")},
    )
    new_time = forms.TimeField(
        label=_("Giờ hẹn mới (HH:MM)"),
        input_formats=["%H:%M"],
        widget=forms.TextInput(attrs={"placeholder": "HH:MM", "inputmode": "numeric"}),
        error_messages={"invalid": _("Giờ không hợp lệ; hãy nhập theo dạng HH:MM.")},
    )
    reason = _reason_field(_("Lý do chậm trễ"))

    def service_kwargs(self) -> dict[str, object]:
        data = self.cleaned_data
        moment = datetime.combine(data["new_date"], data["new_time"], tzinfo=LOCAL_TZ)
        return {"new_appointment_at": moment, "reason": data["reason"]}


class PaymentForm(ActForm):
    """A fee paid at the counter (cash or transfer), recorded in the dossier's history."""

    amount_vnd = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1)
    reference = forms.CharField(label=_("Số biên lai / mã giao dịch"), max_length=100)

    def service_kwargs(self) -> dict[str, object]:
        data = self.cleaned_data
        return {"amount_vnd": data["amount_vnd"], "reference": data["reference"], "provider": "cash"}


ACT_FORMS: dict[Act, type[ActForm]] = {
    Act.ACCEPT: ActForm,
    Act.START_PROCESSING: ActForm,
    Act.REFUSE_RECEPTION: ReasonForm,
    Act.ASK_TO_COMPLETE: MissingItemsForm,
    Act.ASSIGN_STEP: AssignForm,
    Act.COMPLETE_STEP: OpinionForm,
    Act.APPROVE: OpinionForm,
    Act.RETURN_STEP: ReasonForm,
    Act.REQUEST_SUPPLEMENT: SupplementRequestForm,
    Act.COMPLETE_SUPPLEMENT: NoteForm,
    Act.REQUEST_FINANCIAL_OBLIGATION: ReasonForm,
    Act.FULFIL_FINANCIAL_OBLIGATION: NoteForm,
    Act.RESCHEDULE: RescheduleForm,
    Act.ISSUE_RESULT: NoteForm,
    Act.REFUSE: ReasonForm,
    Act.WITHDRAW: ReasonForm,
    Act.RETURN_RESULT: NoteForm,
    Act.RECORD_PAYMENT: PaymentForm,
}


# --- consultations (xin ý kiến) ------------------------------------------------------------------------


class ConsultForm(forms.Form):
    """Ask other agencies for their opinion: the units, the content, the working days to answer, files."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    consulted_units = forms.ModelMultipleChoiceField(
        label=_("Cơ quan được xin ý kiến"), queryset=OrgUnit.objects.none(), widget=forms.SelectMultiple
    )
    content = forms.CharField(label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 4}))
    working_days = forms.IntegerField(label=_("Thời hạn trả lời (ngày làm việc)"), min_value=1, max_value=30)
    attachments = FilesField(label=_("Tệp đính kèm (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args: Any, asking_unit_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["consulted_units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        active = OrgUnit.objects.filter(is_active=True).order_by("name")
        units.queryset = active.exclude(pk=asking_unit_id) if asking_unit_id is not None else active


class AnswerConsultationForm(forms.Form):
    """The consulted unit's answer to one of the questions asked of it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    consultation_id = forms.TypedChoiceField(label=_("Yêu cầu xin ý kiến"), coerce=int)
    answer = forms.CharField(label=_("Ý kiến trả lời"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = FilesField(label=_("Tệp đính kèm (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args: Any, questions: tuple[tuple[int, str], ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["consultation_id"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = list(questions)
        if len(questions) == 1:
            choice.widget = forms.HiddenInput()
            choice.initial = questions[0][0]
