"""The "Xin ý kiến" section of the back office's dossier page, and the navigation link to the unit's list
of questions waiting for its answer (with their count)."""

from typing import Any

from django import template
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.backoffice.views.consultations import answer_form, consult_form
from motcua.core.models import User
from motcua.documents import consultations as consultation_files
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import available_acts
from motcua.dossiers.states import Act

register = template.Library()


def answer_state(consultation: Consultation, now: Any) -> str:
    if consultation.answered_at is not None:
        return "answered_late" if consultation.answered_at > consultation.due_at else "answered"
    if consultation.withdrawn_at is not None:
        return "withdrawn"
    return "overdue" if now > consultation.due_at else "waiting"


@register.inclusion_tag("backoffice/_consultations.html", takes_context=True)
def consultation_section(context: template.Context, dossier: Dossier) -> dict[str, Any]:
    user = context["request"].user
    assert isinstance(user, User)
    now = timezone.now()
    offered = set(available_acts(user, dossier, now=now))
    files: dict[int, list[Any]] = {}
    for attached in consultation_files.files_of(dossier=dossier, acting_user=user):
        files.setdefault(attached.consultation_id, []).append(attached)
    rows = [(c, answer_state(c, now), files.get(c.pk, [])) for c in selectors.consultations_of(dossier)]
    return {
        "dossier": dossier,
        "rows": rows,
        "ask_form": consult_form(dossier, user) if Act.CONSULT in offered else None,
        "answer_form": answer_form(dossier, user) if Act.ANSWER_CONSULTATION in offered else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("backoffice/_consultations_nav.html", takes_context=True)
def consultation_nav(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {"count": selectors.asked_of_my_unit(user).count() if isinstance(user, User) else 0}
