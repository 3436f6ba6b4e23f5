"""Who handles each dossier of a work list, and the late list's dossier codes linking to the dossier page."""

from motcua.dossiers import services
from motcua.quality import services as quality
from tests.backoffice.helpers import BASE, client_for, dossier_url
from tests.quality.scenario import build
from tests.quality.test_pages import MARCH


def handled_by(response) -> dict[str, str]:
    return {
        row.dossier.code: getattr(row.dossier.handled_by, "display_name", "")
        for row in response.context["rows"]
    }


def test_the_assignee_of_the_current_step_else_the_last_officer_who_acted(province):
    received = province.receive()
    assigned = province.processing()
    services.assign_step(dossier=assigned, acting_user=province.leader, assignee=province.specialist)
    client = client_for(province.leader)
    rows = handled_by(client.get(BASE, {"list": "xu-ly"}))
    assert rows[assigned.code] == province.specialist.display_name
    response = client_for(province.counter).get(BASE, {"list": "da-tiep-nhan"})
    assert handled_by(response)[received.code] == province.counter.display_name
    body = response.content.decode()
    assert "Người xử lý" in body and f">{province.counter.display_name}</td>" in body


def test_late_list_codes_link_to_the_dossier(client, province):
    scenario = build(province)
    quality.rebuild()
    client.force_login(province.leader)
    page = client.get(f"/chat-luong/tre-han/{MARCH}").content.decode()
    late = scenario["E1"]
    assert f'href="{dossier_url(late)}"' in page
    assert client.get(dossier_url(late)).status_code == 200
