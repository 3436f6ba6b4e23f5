"""What the applicant reads when an act on their dossier is notified: one template per act.

The SMS is short and fixed (the dossier code, what happened, what to do, the link) and never carries an
officer's free text (reasons, notes, the list of missing papers): it is sent unaccented, to stay within one
GSM-7 segment (`sms.unaccented`). The email, to the applicant's own address, gives the full Vietnamese text
with the officer's reason. The appointment is given only where it applies (reception, rescheduling).

Templates read the outbox payload written by `dossiers.events` (`act`, `code`, `appointment`...), not the
dossier: a retried message says what was true when the act happened, wherever the outbox lives.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.interop import sms

# dossiers.states.Status.FINISHED and RETURNED (interop does not import the dossiers app): the result exists.
RESULT_STATUSES = frozenset({9, 10})


@dataclass(frozen=True)
class Template:
    sms: Promise  # placeholders: %(code)s, %(url)s, and %(when)s when `with_appointment`
    email: Promise  # what happened and what to do, in full
    reason_label: Promise | None = None  # how the email introduces the officer's text; None: not given
    with_appointment: bool = False  # the appointment applies to this act (reception, rescheduling)
    sms_without_appointment: Promise | None = None  # when the dossier has none (no time limit)
    sms_with_e_result: Promise | None = None  # after the result, to an account: %(url)s is the e-result page
    # A result ready before the appointment's day (payload "early": that day, dd/mm/yyyy): the applicant may
    # collect it early (docs/domain.md "Return"). The email's %(when)s is the appointment's day; the SMS has
    # no room for it within one segment.
    sms_early: Promise | None = None
    email_early: Promise | None = None


REASON = gettext_lazy("Lý do")
NOTE = gettext_lazy("Ghi chú")
CONTENT = gettext_lazy("Nội dung")

_RECEIVED = Template(
    sms=gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận, hẹn trả %(when)s. %(url)s"),
    sms_without_appointment=gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận, đang giải quyết. %(url)s"),
    email=gettext_lazy("Hồ sơ của ông/bà đã được tiếp nhận và chuyển giải quyết."),
    reason_label=NOTE,
    with_appointment=True,
)
_NOT_RECEIVED = Template(
    sms=gettext_lazy("Hồ sơ %(code)s không được tiếp nhận, liên hệ bộ phận một cửa. %(url)s"),
    email=gettext_lazy("Hồ sơ của ông/bà không được tiếp nhận."),
    reason_label=REASON,
)

# Keyed by `dossiers.states.Act` values.
TEMPLATES: dict[str, Template] = {
    "submit_online": Template(
        sms=gettext_lazy("Hồ sơ %(code)s đã nộp trực tuyến, chờ cán bộ kiểm tra. %(url)s"),
        email=gettext_lazy(
            "Hồ sơ của ông/bà đã được nộp trực tuyến và đang chờ bộ phận một cửa kiểm tra, tiếp nhận."
        ),
    ),
    "receive": _RECEIVED,
    "accept": _RECEIVED,
    "refuse_at_counter": _NOT_RECEIVED,
    "refuse_reception": _NOT_RECEIVED,
    "ask_to_complete": Template(
        sms=gettext_lazy("Hồ sơ %(code)s chưa đầy đủ, xin bổ sung để được tiếp nhận. %(url)s"),
        email=gettext_lazy(
            "Hồ sơ của ông/bà chưa đầy đủ. Xin bổ sung, hoàn thiện các giấy tờ dưới đây và nộp lại "
            "để được tiếp nhận."
        ),
        reason_label=REASON,
    ),
    "request_supplement": Template(
        sms=gettext_lazy("Hồ sơ %(code)s cần bổ sung giấy tờ, xin nộp bổ sung. %(url)s"),
        email=gettext_lazy(
            "Hồ sơ của ông/bà cần bổ sung, hoàn thiện các giấy tờ dưới đây. Thời hạn giải quyết tạm "
            "dừng cho đến khi nhận đủ hồ sơ bổ sung."
        ),
        reason_label=REASON,
    ),
    "complete_supplement": Template(
        sms=gettext_lazy("Hồ sơ %(code)s đã nhận đủ bổ sung, tiếp tục giải quyết. %(url)s"),
        email=gettext_lazy("Đã nhận hồ sơ bổ sung; hồ sơ của ông/bà tiếp tục được giải quyết."),
        reason_label=NOTE,
    ),
    "request_financial_obligation": Template(
        sms=gettext_lazy("Hồ sơ %(code)s chờ ông/bà thực hiện nghĩa vụ tài chính. %(url)s"),
        email=gettext_lazy(
            "Xin ông/bà thực hiện nghĩa vụ tài chính (thuế, phí, lệ phí) theo nội dung dưới đây. Thời "
            "hạn giải quyết tạm dừng cho đến khi hoàn thành."
        ),
        reason_label=CONTENT,
    ),
    "reschedule": Template(
        sms=gettext_lazy("Hồ sơ %(code)s chậm, xin lỗi ông/bà. Hẹn lại %(when)s. %(url)s"),
        email=gettext_lazy(
            "Cơ quan giải quyết xin lỗi ông/bà vì hồ sơ không trả kết quả kịp hẹn, và hẹn lại ngày trả "
            "kết quả."
        ),
        reason_label=REASON,
        with_appointment=True,
    ),
    "issue_result": Template(
        sms=gettext_lazy("Hồ sơ %(code)s đã có kết quả, mời ông/bà đến nhận. %(url)s"),
        sms_with_e_result=gettext_lazy("Hồ sơ %(code)s đã có kết quả. Tải kết quả điện tử: %(url)s"),
        email=gettext_lazy("Hồ sơ của ông/bà đã giải quyết xong; mời ông/bà nhận kết quả."),
        reason_label=NOTE,
        sms_early=gettext_lazy("Hồ sơ %(code)s đã có kết quả trước hẹn, mời đến nhận sớm. %(url)s"),
        email_early=gettext_lazy(
            "Kết quả đã có trước ngày hẹn trả (%(when)s): ông/bà có thể đến nhận ngay, "
            "không cần chờ đến ngày hẹn."
        ),
    ),
    "refuse": Template(
        sms=gettext_lazy("Hồ sơ %(code)s bị từ chối giải quyết, xem văn bản trả lời. %(url)s"),
        email=gettext_lazy("Hồ sơ của ông/bà bị từ chối giải quyết."),
        reason_label=REASON,
    ),
    "withdraw": Template(
        sms=gettext_lazy("Hồ sơ %(code)s đã được rút theo đề nghị, dừng giải quyết. %(url)s"),
        email=gettext_lazy("Hồ sơ của ông/bà đã được rút theo đề nghị; cơ quan dừng giải quyết hồ sơ."),
        reason_label=REASON,
    ),
    "return_result": Template(
        sms=gettext_lazy("Hồ sơ %(code)s đã được trả kết quả. Cảm ơn ông/bà. %(url)s"),
        sms_with_e_result=gettext_lazy("Hồ sơ %(code)s đã trả kết quả. Tải kết quả điện tử: %(url)s"),
        email=gettext_lazy("Kết quả giải quyết hồ sơ đã được trả cho ông/bà. Cảm ơn ông/bà."),
        reason_label=NOTE,
    ),
}
# A message written before the payload named its act (or for an act without a template): the status.
_STATUS_SMS = gettext_lazy("Hồ sơ %(code)s: %(status)s. %(url)s")

E_RESULT_SMS = gettext_lazy("Hồ sơ %(code)s đã có kết quả. Tải kết quả điện tử: %(url)s")


def tracking_url(code: str) -> str:
    """The public tracking page with the code filled in; it asks for the second factor (never in a link)."""
    return f"{_base()}{reverse('portal:tracking')}?{urlencode({'ma': code})}"


def e_result_url(payload: Mapping[str, Any]) -> str | None:
    """Once the result exists, the applicant's dossier page on the portal, where their account downloads
    the signed e-result after signing in (never a link to the file itself); None without an account."""
    if payload.get("status") not in RESULT_STATUSES or not payload.get("applicant_account"):
        return None
    return f"{_base()}{reverse('portal:my_dossier', args=[payload['code']])}"


def sms_text(payload: Mapping[str, Any]) -> str:
    """The SMS: the act's short template, unaccented, with no officer's text in it.

    After the result, an applicant with an account gets the link to the e-result instead of the tracking
    page (both do not fit one segment; their dossier page shows the same as the tracking page)."""
    return sms.unaccented(short_text(payload))


def link(payload: Mapping[str, Any]) -> str:
    """The link a short message carries: the e-result page once it exists for an account, else tracking."""
    return e_result_url(payload) or tracking_url(payload["code"])


def short_text(payload: Mapping[str, Any]) -> str:
    """The act's short message in Vietnamese with its marks (the SMS sends it unaccented, Zalo as it is)."""
    code = payload["code"]
    template = TEMPLATES.get(payload.get("act", ""))
    link = e_result_url(payload)
    with translation.override("vi"):
        if link:
            with_e_result = template.sms_with_e_result if template is not None else None
            text = str(with_e_result or E_RESULT_SMS) % {"code": code, "url": link}
        elif template is None:
            text = str(_STATUS_SMS) % {
                "code": code,
                "status": payload.get("status_label", ""),
                "url": tracking_url(code),
            }
        else:
            when = payload.get("appointment", "") if template.with_appointment else ""
            pattern = template.sms
            if template.with_appointment and not when and template.sms_without_appointment is not None:
                pattern = template.sms_without_appointment
            if template.sms_early is not None and payload.get("early"):
                pattern, when = template.sms_early, payload["early"]
            text = str(pattern) % {
                "code": code,
                "when": when,
                "url": tracking_url(code),
            }
    return text


def email_subject(payload: Mapping[str, Any]) -> str:
    with translation.override("vi"):
        return _("Hồ sơ %(code)s: %(status)s") % {"code": payload["code"], "status": payload["status_label"]}


def notification_text(payload: Mapping[str, Any]) -> str:
    """The email: the dossier and its status, what happened and what to do, the appointment where it
    applies (or that the clock is paused), the officer's reason and list of missing papers, the tracking
    link, and once the result exists the link to the e-result."""
    code = payload["code"]
    template = TEMPLATES.get(payload.get("act", ""))
    with translation.override("vi"):
        if template is None:  # written before the payload named its act: its own text
            lines = [payload.get("text", "")] if payload.get("text") else []
        else:
            lines = [
                f"{_('Hồ sơ')} {code} – {payload.get('procedure', '')}".rstrip(" –"),
                _("Trạng thái: %(status)s.") % {"status": payload["status_label"]},
                str(template.email),
            ]
            if payload.get("pause"):
                lines.append(f"{payload['pause']}.")
            elif template.with_appointment and payload.get("appointment"):
                lines.append(_("Hẹn trả kết quả: %(when)s.") % {"when": payload["appointment"]})
            if template.email_early is not None and payload.get("early"):
                lines.append(str(template.email_early) % {"when": payload["early"]})
            missing = payload.get("missing") or []
            if missing:
                lines.append(_("Giấy tờ cần bổ sung:"))
                lines += [f"- {item}" for item in missing]
            if template.reason_label is not None and payload.get("reason"):
                lines.append(f"{template.reason_label}: {payload['reason']}")
            lines.append(_("Tra cứu hồ sơ: %(url)s") % {"url": tracking_url(code)})
        link = e_result_url(payload)
        if link:
            lines.append(_("Tải kết quả điện tử: %(url)s") % {"url": link})
    return "\n".join(lines)


def _base() -> str:
    return str(settings.MOTCUA_PUBLIC_URL).rstrip("/")
