"""The drag-down reads quality's per-unit counts in one query each, whatever the number of units, with the
same figures as the one-unit calls (`sources.result_counts`, `sources.not_satisfied`) it replaced.

On the March 2026 scenario of test_computed (the commune receives and decides C1–C4; the center receives
and the Department of Justice decides J1–J3; C4 rated "not satisfied"), this module adds:
- C1: a scanned input and an e-result (digitised with an e-result);
- J3: an e-result (no digitised input);
- J2: rated "not satisfied".
By hand, dossiers with a result / e-result / digitised and e-result: the commune 4 / 1 / 1 (each of its
dossiers once, although it both received and decided them), the center 3 / 1 / 0, the department 3 / 1 / 0;
"not satisfied": the commune 1 (C4), the center 1 and the department 1 (J2).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.core.roles import Role
from motcua.documents import services as documents
from motcua.documents.models import DocumentType, ProcedureResultType
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.portal import services as portal
from motcua.quality import services as quality
from motcua.quality import sources
from motcua.quality.models import Rating
from motcua.quality.periods import year
from motcua.quality.selectors import Scope
from motcua.standing import selectors
from motcua.standing.components import Measure
from tests.factories import Province, local, make_unit, make_user
from tests.standing.test_computed import pair, year_2026  # noqa: F401  (the scenario's fixture)
from tests.support.clients import client_for
from tests.support.pdfs import scanned_pdf

PERIOD = year(2026)


def dossiers(procedure: Procedure) -> list[Dossier]:
    return list(Dossier.objects.filter(procedure=procedure).order_by("pk"))


@pytest.fixture
def e_results(year_2026, settings, tmp_path) -> Province:  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    p = year_2026
    for code, procedure in (("GKS", p.birth), ("QT", p.nationality)):
        document_type = DocumentType.objects.create(code=code, name=f"Kết quả {code}")
        ProcedureResultType.objects.create(procedure=procedure, document_type=document_type)
    c1 = dossiers(p.birth)[0]
    scan = documents.store_upload(uploaded=scanned_pdf(text="Ban quet to khai"), acting_user=p.counter)
    documents.attach_files(component=c1.components.get(name="Tờ khai"), files=[scan], acting_user=p.counter)
    documents.issue_electronic_result(dossier=c1, acting_user=p.leader)
    _j1, j2, j3 = dossiers(p.nationality)
    documents.issue_electronic_result(dossier=j3, acting_user=p.justice_leader)
    portal.rate(
        dossier=j2, satisfied=False, attitude=2, timeliness=2, guidance=2, comment="", acting_user=None
    )
    Rating.objects.update(created_at=local(2026, 3, 12, 11))  # stamped with the real clock
    return p


def one_unit(unit: OrgUnit) -> Scope:
    return Scope(unit=unit, unit_ids=(unit.pk,))  # as the drag-down's units were read one by one


def test_per_unit_counts_hand_counted_and_as_the_one_unit_calls(e_results, django_assert_num_queries):
    p = e_results
    with django_assert_num_queries(1):
        ended = sources.result_counts_by_unit(PERIOD)
    with django_assert_num_queries(1):
        unhappy = sources.not_satisfied_by_unit(PERIOD)
    R = sources.Results
    assert ended == {p.commune.pk: R(4, 1, 1), p.center.pk: R(3, 1, 0), p.justice.pk: R(3, 1, 0)}
    assert unhappy == {p.commune.pk: 1, p.center.pk: 1, p.justice.pk: 1}
    for unit in (p.commune, p.center, p.justice, p.other_commune, p.commune_police):
        assert ended.get(unit.pk, R()) == sources.result_counts(one_unit(unit), PERIOD)
        assert unhappy.get(unit.pk, 0) == sources.not_satisfied(one_unit(unit), PERIOD)


def test_the_drag_down_figures_from_the_grouped_counts(e_results):
    p = e_results
    drag = selectors.drag_down(2026)

    def rows(measure):
        return [(u.unit, pair(u.rate), u.share) for u in drag[measure]]

    commune, justice = p.commune.name, p.justice.name
    # The province: digitised and e-result 1/7 (short 6); satisfaction (4 on time − 2 unhappy)/7 (short 5).
    assert rows(Measure.DIGITISATION) == [
        (justice, (0, 3), pytest.approx(3 / 6)),  # equal shortfalls: the lower rate first
        (commune, (1, 4), pytest.approx(3 / 6)),
    ]
    assert rows(Measure.SATISFACTION) == [
        (justice, (0, 3), pytest.approx(3 / 5)),  # 1 on time − 1 unhappy
        (commune, (2, 4), pytest.approx(2 / 5)),  # 3 on time − 1 unhappy
    ]


def more_communes(p: Province, count: int) -> None:
    """`count` more communes, each receiving (and so deciding) a birth registration dossier in March 2026."""
    for i in range(count):
        unit = make_unit(f"0{10 + i}.00.50.H40", f"Xã thêm {i}", OrgUnit.Kind.COMMUNE, p.province)
        counter = make_user(f"counter-extra-{i}", Role.COUNTER_OFFICER, unit)
        d = services.receive(
            intake=p.intake(p.birth, unit),
            channel=Channel.COUNTER,
            acting_user=counter,
            now=local(2026, 3, 2, 9),
        )
        services.start_processing(dossier=d, acting_user=counter, now=local(2026, 3, 2, 9))
    quality.rebuild()


def test_the_page_queries_do_not_grow_with_the_units(year_2026):  # noqa: F811
    p = year_2026
    client = client_for(p.admin)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as drag:
            selectors.drag_down(2026)
        with CaptureQueriesContext(connection) as page:
            assert client.get("/chi-so-tinh/", {"year": 2026}).status_code == 200
        return len(drag), len(page)

    few = queries()
    assert len(selectors.drag_down(2026)[Measure.ON_TIME]) == 2  # the commune and the department
    more_communes(p, 4)
    assert len(selectors.drag_down(2026)[Measure.ONLINE]) == 6  # four more units, each short of online
    assert queries() == few
