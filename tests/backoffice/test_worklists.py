"""The work lists: counts, membership, search, paging, and a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.core.calendar import TimeUnit, add_working_time
from motcua.dossiers import services
from motcua.dossiers.states import Status
from tests.backoffice.helpers import BASE, client_for
from tests.dossiers.helpers import dossier_in


def codes(response) -> set[str]:
    return {row.dossier.code for row in response.context["rows"]}


def test_counter_lists_hold_what_waits_at_the_counter(province):
    new = dossier_in(province, Status.NEW_ONLINE)
    accepted = dossier_in(province, Status.ACCEPTED)
    finished = dossier_in(province, Status.FINISHED)
    stopped = dossier_in(province, Status.STOPPED)
    client = client_for(province.counter)
    assert codes(client.get(BASE, {"list": "tiep-nhan"})) == {new.code}
    assert codes(client.get(BASE, {"list": "da-tiep-nhan"})) == {accepted.code}
    assert codes(client.get(BASE, {"list": "tra-ket-qua"})) == {finished.code, stopped.code}
    counts = dict((w.name, n) for w, n in client.get(BASE).context["nav_lists"])
    assert counts["tiep-nhan"] == 1 and counts["da-tiep-nhan"] == 1 and counts["tra-ket-qua"] == 2


def test_to_process_follows_the_current_step_and_the_assignee(province):
    mine = dossier_in(province, Status.PROCESSING)
    other = dossier_in(province, Status.PROCESSING)
    services.assign_step(dossier=other, acting_user=province.leader, assignee=province.leader)
    specialist = client_for(province.specialist)
    leader = client_for(province.leader)
    assert codes(specialist.get(BASE, {"list": "xu-ly"})) == {mine.code}
    assert codes(leader.get(BASE, {"list": "xu-ly"})) == {mine.code, other.code}
    # The justice department has no step active on them.
    assert codes(client_for(province.justice_specialist).get(BASE, {"list": "xu-ly"})) == set()


def test_paused_returned_and_overdue_lists(province):
    supplement = dossier_in(province, Status.SUPPLEMENT_REQUESTED)
    financial = dossier_in(province, Status.FINANCIAL_OBLIGATION)
    client = client_for(province.leader)
    assert codes(client.get(BASE, {"list": "bo-sung"})) == {supplement.code}
    assert codes(client.get(BASE, {"list": "nghia-vu-tai-chinh"})) == {financial.code}


def test_returned_in_the_last_30_days(province):
    now = timezone.now()
    old = province.processing(now=now - timedelta(days=60))
    recent = province.processing(now=now - timedelta(days=2))
    for dossier, at in ((old, now - timedelta(days=40)), (recent, now - timedelta(hours=1))):
        dossier = services.complete_step(dossier=dossier, acting_user=province.specialist, now=at)
        dossier = services.approve(dossier=dossier, acting_user=province.leader, now=at)
        dossier = services.issue_result(dossier=dossier, acting_user=province.leader, now=at)
        services.return_result(dossier=dossier, acting_user=province.counter, now=at)
    assert codes(client_for(province.counter).get(BASE, {"list": "da-tra"})) == {recent.code}


def test_due_today_and_overdue_from_the_appointment(province):
    now = timezone.now()
    late = province.processing(now=now - timedelta(days=20))
    fresh = province.processing(now=now)
    overdue = selectors.work_list(province.leader, "qua-han", now=now)
    assert late in overdue and fresh not in overdue
    due_today = selectors.work_list(
        province.leader, "den-han", now=late.appointment_at - timedelta(minutes=1)
    )
    assert late in due_today


def test_search_by_code_name_id_and_procedure(province):
    first = province.receive(name="Trần Thị Bình", id_number="040090005555")
    second = province.receive(province.inter_agency, name="Lê Văn Cường")
    client = client_for(province.counter)
    listing = {"list": "da-tiep-nhan"}
    assert codes(client.get(BASE, listing | {"q": "Bình"})) == {first.code}
    assert codes(client.get(BASE, listing | {"q": "040090005555"})) == {first.code}
    assert codes(client.get(BASE, listing | {"q": second.code[-6:]})) == {second.code}
    assert codes(client.get(BASE, listing | {"procedure": province.inter_agency.pk})) == {second.code}


def test_htmx_filtering_returns_only_the_results(province):
    dossier = province.receive()
    response = client_for(province.counter).get(
        BASE, {"list": "da-tiep-nhan"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert dossier.code in body and "<html" not in body


def test_rows_show_appointment_remaining_time_and_badge(province):
    dossier = province.processing(now=timezone.now() - timedelta(days=20))
    body = client_for(province.leader).get(BASE, {"list": "qua-han"}).content.decode()
    local = timezone.localtime(dossier.appointment_at)
    assert local.strftime("%d/%m/%Y %H:%M") in body
    assert "quá hạn" in body and "Đang xử lý quá hạn" in body


def test_the_list_query_count_does_not_grow_with_rows(province):
    client = client_for(province.leader)
    province.processing()
    with CaptureQueriesContext(connection) as one:
        client.get(BASE, {"list": "xu-ly"})
    for _ in range(5):
        province.processing()
    with CaptureQueriesContext(connection) as six:
        response = client.get(BASE, {"list": "xu-ly"})
    assert len(response.context["rows"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_pages_of_25(province):
    for _ in range(26):
        province.receive()
    client = client_for(province.counter)
    assert len(client.get(BASE, {"list": "da-tiep-nhan"}).context["rows"]) == 25
    assert len(client.get(BASE, {"list": "da-tiep-nhan", "page": 2}).context["rows"]) == 1


def _queries_per_list(client) -> dict[str, int]:
    counts = {}
    for work in selectors.WORK_LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE, {"list": work.name})
        assert response.status_code == 200
        counts[work.name] = len(queries.captured_queries)
    return counts


def _one_of_each(province) -> None:
    now = timezone.now()
    for status in (
        Status.NEW_ONLINE,
        Status.ACCEPTED,
        Status.SUPPLEMENT_REQUESTED,
        Status.FINANCIAL_OBLIGATION,
        Status.FINISHED,
    ):
        dossier_in(province, status)
    late = province.processing(now=now - timedelta(days=20))
    services.reschedule(  # issued after the appointment: not lawful, judged with its pauses
        dossier=late,
        acting_user=province.leader,
        new_appointment_at=add_working_time(now, 3, TimeUnit.WORKING_DAYS),
        reason="Chờ kết quả xác minh của cơ quan khác",
        now=now,
    )
    province.processing(now=now)
    province.processing(province.inter_agency, now=now - timedelta(days=30))
    returned = province.processing(now=now - timedelta(days=2))
    returned = services.complete_step(dossier=returned, acting_user=province.specialist, now=now)
    returned = services.approve(dossier=returned, acting_user=province.leader, now=now)
    returned = services.issue_result(dossier=returned, acting_user=province.leader, now=now)
    services.return_result(dossier=returned, acting_user=province.counter, now=now)


def test_no_list_page_runs_more_queries_with_more_rows(province):
    """Every list of every kind of officer costs the same number of queries with 1 or 3 rows of each kind
    (paused rows, overdue rows, other agencies' steps included): nothing is read per row."""
    officers = (province.counter, province.leader, province.justice_specialist, province.admin)
    _one_of_each(province)
    first = {officer.username: _queries_per_list(client_for(officer)) for officer in officers}
    _one_of_each(province)
    _one_of_each(province)
    for officer in officers:
        assert _queries_per_list(client_for(officer)) == first[officer.username], officer.username
