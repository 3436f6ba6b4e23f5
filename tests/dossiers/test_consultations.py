"""Consulting other agencies (xin ý kiến, dossiers.consultations): asked from a step under way, answered by
the consulted unit's own officers, late when answered after its deadline on the working calendar, withdrawn
when the dossier ends. Neither act changes the dossier's status."""

import pytest

from motcua.core.errors import ConflictError, InvalidTransition, PermissionDenied, ValidationFailed
from motcua.documents import slips
from motcua.dossiers import services
from motcua.dossiers.consultations import claim_overdue, overdue
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.payloads import ConsultationAnswered, ConsultationAsked, payload_of
from motcua.dossiers.selectors import available_acts, handovers, visible_dossiers
from motcua.dossiers.states import Act, Status
from tests.concurrency import run_at_once
from tests.dossiers.test_access import police_of
from tests.factories import Province, build_province, local
from tests.support.pdfs import pdf_text

MONDAY_10 = local(2026, 3, 2, 10)
QUESTION = "Đề nghị Sở cho ý kiến về tính hợp lệ của giấy tờ hộ tịch do nước ngoài cấp."


def _asked(p: Province, *units, days: int = 3) -> Dossier:
    d = p.processing(now=local(2026, 3, 2, 9))
    return services.consult(
        dossier=d,
        acting_user=p.specialist,
        consulted_units=list(units) or [p.justice],
        content=QUESTION,
        working_days=days,
        now=MONDAY_10,
    )


def test_asking_two_agencies_records_one_act_and_one_question_each(province):
    p = province
    police = police_of(p)
    d = _asked(p, p.justice, p.commune_police)
    assert d.status == Status.PROCESSING
    asked = list(Consultation.objects.filter(dossier=d).order_by("pk"))
    assert [c.consulted_unit for c in asked] == [p.justice, p.commune_police]
    for c in asked:
        assert (c.asking_unit, c.step, c.asked_by, c.content) == (
            p.commune,
            d.current_step,
            p.specialist,
            QUESTION,
        )
        # Monday 10:00 + 3 working days: Thursday 10:00.
        assert c.due_at == local(2026, 3, 5, 10)
        assert c.is_open
    events = list(d.events.filter(act=Act.CONSULT).order_by("pk"))
    assert [payload_of(e) for e in events] == [
        ConsultationAsked(asked[0].pk, "Sở Tư pháp", local(2026, 3, 5, 10)),
        ConsultationAsked(asked[1].pk, "Công an phường Thành Vinh", local(2026, 3, 5, 10)),
    ]
    # Each consulted unit now sees the dossier it is asked about.
    assert visible_dossiers(p.justice_specialist).filter(pk=d.pk).exists()
    assert visible_dossiers(police.specialist).filter(pk=d.pk).exists()


def test_an_answer_before_the_deadline_is_on_time(province):
    p = province
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    d = services.answer_consultation(
        dossier=d,
        acting_user=p.justice_specialist,
        consultation_id=question.pk,
        answer="  Giấy tờ hợp lệ, đề nghị giải quyết.  ",
        now=local(2026, 3, 4, 15),
    )
    question.refresh_from_db()
    assert (question.answer, question.answered_by, question.answered_at) == (
        "Giấy tờ hợp lệ, đề nghị giải quyết.",
        p.justice_specialist,
        local(2026, 3, 4, 15),
    )
    assert not question.is_open and not question.late_at(local(2026, 3, 10, 9))
    assert d.status == Status.PROCESSING
    assert payload_of(d.events.get(act=Act.ANSWER_CONSULTATION)) == ConsultationAnswered(question.pk, False)


def test_an_answer_after_the_deadline_is_late(province):
    p = province
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    d = services.answer_consultation(
        dossier=d,
        acting_user=p.justice_leader,
        consultation_id=question.pk,
        answer="Thống nhất.",
        now=local(2026, 3, 5, 10, 1),
    )
    question.refresh_from_db()
    assert question.late_at(local(2026, 3, 5, 10, 1))
    assert payload_of(d.events.get(act=Act.ANSWER_CONSULTATION)) == ConsultationAnswered(question.pk, True)


def test_only_the_consulted_units_own_officers_answer(province):
    p = province
    police = police_of(p)
    d = _asked(p, p.justice, p.commune_police)
    to_police = Consultation.objects.get(dossier=d, consulted_unit=p.commune_police)
    events = d.events.count()
    # The commune is the police's parent unit and the asking unit: it sees the dossier, does not answer.
    for officer in (p.leader, p.specialist, p.counter):
        with pytest.raises(PermissionDenied):
            services.answer_consultation(
                dossier=d, acting_user=officer, consultation_id=to_police.pk, answer="x"
            )
    # The justice department is asked too, but not this question.
    with pytest.raises(ValidationFailed) as refused:
        services.answer_consultation(
            dossier=d, acting_user=p.justice_specialist, consultation_id=to_police.pk, answer="x"
        )
    assert refused.value.code == "not_consulted_unit"
    assert d.events.count() == events
    to_police.refresh_from_db()
    assert to_police.is_open
    services.answer_consultation(
        dossier=d, acting_user=police.leader, consultation_id=to_police.pk, answer="Không có ý kiến khác."
    )
    to_police.refresh_from_db()
    assert to_police.answered_by == police.leader


def test_a_question_is_answered_once(province):
    p = province
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    d = services.answer_consultation(
        dossier=d, acting_user=p.justice_specialist, consultation_id=question.pk, answer="Đồng ý."
    )
    with pytest.raises(PermissionDenied):  # nothing open is asked of the unit any more
        services.answer_consultation(
            dossier=d, acting_user=p.justice_leader, consultation_id=question.pk, answer="Không đồng ý."
        )
    # The administrator answering for the unit: the guard finds no question waiting, nor offers the act.
    assert Act.ANSWER_CONSULTATION not in available_acts(p.admin, d)
    with pytest.raises(ValidationFailed) as refused:
        services.answer_consultation(dossier=d, acting_user=p.admin, consultation_id=question.pk, answer="x")
    assert refused.value.code == "no_open_consultation"
    question.refresh_from_db()
    assert question.answer == "Đồng ý."


def test_a_counter_officer_does_not_consult(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(PermissionDenied):
        services.consult(
            dossier=d, acting_user=p.counter, consulted_units=[p.justice], content=QUESTION, working_days=3
        )
    with pytest.raises(PermissionDenied):  # nor an officer of a unit holding no step of it
        services.consult(
            dossier=d,
            acting_user=p.justice_leader,
            consulted_units=[p.other_commune],
            content=QUESTION,
            working_days=3,
        )
    assert not Consultation.objects.exists()
    assert not d.events.filter(act=Act.CONSULT).exists()


@pytest.mark.parametrize(
    ("content", "days", "units", "expected"),
    [
        ("   ", 3, "justice", {"content": "required"}),
        ("x" * 5001, 3, "justice", {"content": "too_long"}),
        (QUESTION, 0, "justice", {"working_days": "out_of_range"}),
        (QUESTION, 31, "justice", {"working_days": "out_of_range"}),
        (QUESTION, "3", "justice", {"working_days": "out_of_range"}),
        (QUESTION, True, "justice", {"working_days": "out_of_range"}),
        (QUESTION, 3, "", {"consulted_units": "required"}),
        (QUESTION, 3, "inactive", {"consulted_units": "inactive"}),
        ("", 40, "", {"content": "required", "working_days": "out_of_range", "consulted_units": "required"}),
        # The asking unit itself, after a valid one: the whole request is refused, nobody is asked.
        (QUESTION, 3, "justice,commune", {"consulted_units": "own_unit"}),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(province, content, days, units, expected):
    p = province
    if units == "inactive":
        p.other_commune.is_active = False
        p.other_commune.save(update_fields=["is_active"])
        units = "other_commune"
    chosen = [getattr(p, name) for name in units.split(",") if name]
    d = p.processing(now=local(2026, 3, 2, 9))
    before = (d.version, d.events.count())
    with pytest.raises(ValidationFailed) as refused:
        services.consult(
            dossier=d, acting_user=p.specialist, consulted_units=chosen, content=content, working_days=days
        )
    assert {name: error.code for name, error in refused.value.fields.items()} == expected
    d.refresh_from_db()
    assert (d.version, d.events.count()) == before
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(("text", "code"), [("  ", "required"), ("x" * 5001, "too_long")])
def test_an_empty_or_overlong_answer_is_refused(province, text, code):
    p = province
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    with pytest.raises(ValidationFailed) as refused:
        services.answer_consultation(
            dossier=d, acting_user=p.justice_specialist, consultation_id=question.pk, answer=text
        )
    assert refused.value.fields["answer"].code == code
    question.refresh_from_db()
    assert question.is_open


def test_open_questions_are_withdrawn_when_the_dossier_ends(province):
    p = province
    d = _asked(p, p.justice, p.commune_police)
    police = police_of(p)
    answered = Consultation.objects.get(dossier=d, consulted_unit=p.commune_police)
    d = services.answer_consultation(
        dossier=d,
        acting_user=police.specialist,
        consultation_id=answered.pk,
        answer="Đồng ý.",
        now=local(2026, 3, 3, 9),
    )
    d = services.refuse(
        dossier=d, acting_user=p.leader, reason="Không đủ điều kiện", now=local(2026, 3, 3, 10)
    )
    waiting = Consultation.objects.get(dossier=d, consulted_unit=p.justice)
    answered.refresh_from_db()
    assert waiting.withdrawn_at == local(2026, 3, 3, 10) and not waiting.is_open
    assert answered.withdrawn_at is None
    assert not waiting.late_at(local(2026, 3, 20, 9))
    assert not overdue(local(2026, 3, 20, 9)).exists()
    with pytest.raises(InvalidTransition):  # the state machine: nothing to answer on a stopped dossier
        services.answer_consultation(
            dossier=d, acting_user=p.justice_specialist, consultation_id=waiting.pk, answer="x"
        )


def test_overdue_questions_are_claimed_for_their_alert_once(province):
    p = province
    d = _asked(p, p.justice, p.commune_police)
    police = police_of(p)
    on_time = Consultation.objects.get(dossier=d, consulted_unit=p.commune_police)
    services.answer_consultation(
        dossier=d,
        acting_user=police.specialist,
        consultation_id=on_time.pk,
        answer="Đồng ý.",
        now=local(2026, 3, 4, 9),
    )
    assert claim_overdue(local(2026, 3, 5, 10)) == []  # due at 10:00 exactly: not late yet
    claimed = claim_overdue(local(2026, 3, 5, 11))
    assert [c.consulted_unit for c in claimed] == [p.justice]
    assert Consultation.objects.get(pk=claimed[0].pk).late_alerted_at == local(2026, 3, 5, 11)
    assert claim_overdue(local(2026, 3, 6, 11)) == []


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_once_one_wins():
    p = build_province()
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    seen = [Dossier.objects.get(pk=d.pk), Dossier.objects.get(pk=d.pk)]
    outcomes = run_at_once(
        lambda: services.answer_consultation(
            dossier=seen[0], acting_user=p.justice_specialist, consultation_id=question.pk, answer="Đồng ý."
        ),
        lambda: services.answer_consultation(
            dossier=seen[1], acting_user=p.justice_leader, consultation_id=question.pk, answer="Không đồng ý."
        ),
    )
    winners = [o for o in outcomes if isinstance(o, Dossier)]
    losers = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    question.refresh_from_db()
    assert question.answer == ("Đồng ý." if outcomes[0] is winners[0] else "Không đồng ý.")
    assert d.events.filter(act=Act.ANSWER_CONSULTATION).count() == 1


def test_the_control_slip_hands_the_question_to_the_consulted_unit_and_the_answer_back(province):
    p = province
    d = _asked(p)
    question = Consultation.objects.get(dossier=d)
    d = services.answer_consultation(
        dossier=d,
        acting_user=p.justice_specialist,
        consultation_id=question.pk,
        answer="Giấy tờ hợp lệ.",
        now=local(2026, 3, 4, 15),
    )
    rows = [row for row in handovers(d) if row.act in (Act.CONSULT, Act.ANSWER_CONSULTATION)]
    assert [(r.giver_unit, r.receiver_unit, r.step_due_at, r.note) for r in rows] == [
        ("Phường Thành Vinh", "Sở Tư pháp", local(2026, 3, 5, 10), QUESTION),
        ("Sở Tư pháp", "Phường Thành Vinh", None, "Giấy tờ hợp lệ."),
    ]
    text = " ".join(pdf_text(slips.control_slip(d)).split())
    assert "xin ý kiến cơ quan khác" in text.casefold() and "trả lời xin ý kiến" in text.casefold()
    assert "Phường Thành Vinh Sở Tư pháp 02/03/2026 10:00 Xin ý kiến cơ quan khác" in text
    assert "Sở Tư pháp Phường Thành Vinh 04/03/2026 15:00 Trả lời xin ý kiến" in text
