"""`/lien-thong/`: the national portal's webhook, and the inbound side of the DVCQG sandbox (enabled by
MOTCUA_DVCQG_SANDBOX, default DEBUG). Included before `interop.dvcqg.urls`, whose sandbox answers every
other service name."""

from django.urls import path

from motcua.intake import sandbox, views

app_name = "intake"

urlpatterns = [
    path("dvcqg/webhook", views.webhook, name="dvcqg-webhook"),
    path("dvcqg-sandbox/LayDanhSachHoSo", sandbox.list_dossiers, name="sandbox-list"),
    path("dvcqg-sandbox/LayChiTietHoSo", sandbox.dossier_detail, name="sandbox-detail"),
    path("dvcqg-sandbox/XacNhanHoSo", sandbox.acknowledge, name="sandbox-acknowledge"),
    path("dvcqg-sandbox/nop-ho-so", sandbox.submit_view, name="sandbox-submit"),
    path("dvcqg-sandbox/dieu-khien", sandbox.control, name="sandbox-control"),
]
