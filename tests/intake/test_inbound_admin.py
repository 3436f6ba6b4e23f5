"""The operators' view of the dossiers the national portal delivered (admin, read-only)."""

from motcua.intake.models import InboundDossier


def test_the_admin_lists_a_rejected_delivery_with_its_reason(admin_client, db):
    InboundDossier.objects.create(
        portal_code="G22.99-261201-0099",
        via="webhook",
        status="rejected",
        reason="Thủ tục 9.999999 không có trong danh mục đang có hiệu lực của tỉnh.",
    )

    html = admin_client.get("/admin/intake/inbounddossier/", {"status__exact": "rejected"}).content.decode()

    assert "G22.99-261201-0099" in html and "Thủ tục 9.999999 không có trong danh mục" in html
    assert "Không nhận được" in html
    assert admin_client.get("/admin/intake/inbounddossier/add/").status_code == 403
