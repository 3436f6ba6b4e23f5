"""A supplement request lists every missing item apart; the applicant answers each in its own slot, all in
one submission (#13 item 4)."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.documents.models import ComponentFile
from motcua.dossiers import services
from motcua.dossiers.models import DossierComponent, DossierEvent
from motcua.dossiers.states import Act, Status
from motcua.portal.services import answer_supplement
from tests.dossiers.helpers import at
from tests.portal.helpers import pdf_upload

FREE = ["Giấy xác nhận cư trú", "Bản sao giấy đăng ký kết hôn"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def paused(province):
    d = services.submit_online(intake=province.intake(), acting_user=province.citizen, now=at(0))
    d = services.accept(dossier=d, acting_user=province.counter, now=at(0.2))
    d = services.start_processing(dossier=d, acting_user=province.counter, now=at(0.5))
    listed = [c.name for c in province.birth.components.order_by("position")]
    return services.request_supplement(
        dossier=d,
        acting_user=province.specialist,
        missing=[*listed, *FREE],
        reason="Hồ sơ còn thiếu giấy tờ",
        now=at(1),
    )


def pdf(name: str, pages: int):
    # Different page counts make different bytes, so each slot stores a file of its own.
    return pdf_upload(name, pages=pages)


def test_the_request_stores_each_item_listed_components_by_id(province):
    d = paused(province)
    ids = list(province.birth.components.order_by("position").values_list("pk", flat=True))
    event = d.events.get(act=Act.REQUEST_SUPPLEMENT)
    assert [i["component"] for i in event.data["items"]] == [*ids, None, None]
    assert [i["name"] for i in event.data["items"]][2:] == FREE
    assert d.pauses.get().missing_items == [i["name"] for i in event.data["items"]]  # form 02 unchanged


def test_the_page_has_one_slot_per_requested_item(client, province):
    d = paused(province)
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    for i in range(4):
        assert f'name="item_{i}_files"' in page and f'name="item_{i}_note"' in page
    assert 'name="item_4_files"' not in page and 'name="component"' not in page
    for name in ["Tờ khai", "Giấy ủy quyền (nếu có)", *FREE]:
        assert name in page


def test_all_items_answered_in_one_post_resume_the_dossier(client, province):
    d = paused(province)
    client.force_login(province.citizen)
    body = {f"item_{i}_files": pdf(f"giay-to-{i}.pdf", pages=i + 1) for i in range(4)}
    body["item_2_note"] = "Xác nhận của công an phường"
    response = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", body)
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    assert d.events.filter(act=Act.COMPLETE_SUPPLEMENT).count() == 1
    links = ComponentFile.objects.filter(dossier_component__dossier=d).select_related(
        "dossier_component", "stored_file"
    )
    by_item = {link.dossier_component.name: link.stored_file.page_count for link in links}
    assert by_item == {"Tờ khai": 1, "Giấy ủy quyền (nếu có)": 2, FREE[0]: 3, FREE[1]: 4}
    listed = {c.name: c.pk for c in province.birth.components.all()}
    for link in links:
        assert link.dossier_component.procedure_component_id == listed.get(link.dossier_component.name)
        assert link.dossier_component.provided and link.kind == "upload"
    assert DossierComponent.objects.filter(dossier=d, name=FREE[0]).count() == 1
    done = DossierEvent.objects.get(dossier=d, act=Act.COMPLETE_SUPPLEMENT)
    assert [i["files"] for i in done.data["items"]] == [1, 1, 1, 1]
    assert "Xác nhận của công an phường" in done.reason


def test_a_missing_slot_refuses_the_whole_answer(client, province):
    d = paused(province)
    client.force_login(province.citizen)
    body = {f"item_{i}_files": pdf(f"giay-to-{i}.pdf", pages=i + 1) for i in (0, 1, 3)}
    response = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "mỗi giấy tờ được yêu cầu bổ sung cần có tệp" in page
    assert f"{FREE[0]}: Vui lòng chọn tệp cho giấy tờ này." in page
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert not ComponentFile.objects.exists()
    assert not DossierComponent.objects.filter(dossier=d, name__in=FREE).exists()
    assert not d.events.filter(act=Act.COMPLETE_SUPPLEMENT).exists()


def test_the_service_refuses_an_incomplete_answer_too(province):
    d = paused(province)
    items = services.open_supplement_items(d)
    upload = pdf_upload("a.pdf")
    with pytest.raises(ValidationFailed) as caught:
        answer_supplement(dossier=d, acting_user=province.citizen, answers=[(items[0], [upload], "")])
    assert FREE[1] in str(caught.value.message)
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED and not ComponentFile.objects.exists()


def test_a_request_stored_before_items_is_read_from_its_names(province):
    d = paused(province)
    event = d.events.get(act=Act.REQUEST_SUPPLEMENT)
    event.data = {"missing": ["Tờ khai", FREE[0]], "repeated": False}
    DossierEvent.objects.filter(pk=event.pk).update(data=event.data)
    items = services.open_supplement_items(d)
    form = province.birth.components.get(name="Tờ khai")
    assert [(i.name, i.component_id) for i in items] == [("Tờ khai", form.pk), (FREE[0], None)]
