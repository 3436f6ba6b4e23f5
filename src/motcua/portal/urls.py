from django.urls import path

from motcua.portal.views import accounts, apply, bookings, catalogue, identity, mine, rating, tracking, zalo

app_name = "portal"

urlpatterns = [
    path("tra-cuu/", tracking.tracking, name="tracking"),
    path("dich-vu-cong/", catalogue.catalogue, name="catalogue"),
    path("tai-khoan/dang-ky/", accounts.register, name="register"),
    path("tai-khoan/dang-nhap/", accounts.login, name="login"),
    path("tai-khoan/dang-xuat/", accounts.logout, name="logout"),
    path("tai-khoan/khoi-phuc/", identity.recover, name="recover"),
    path("tai-khoan/xac-thuc-danh-tinh/", identity.verify, name="verify_identity"),
    path("tai-khoan/zalo/", zalo.zalo_consent, name="zalo_consent"),
    path("tai-khoan/vneid/", identity.vneid_start, name="vneid_start"),
    path("tai-khoan/vneid/sandbox/", identity.vneid_sandbox, name="vneid_sandbox"),
    path("tai-khoan/vneid/callback/<slug:provider>/", identity.vneid_callback, name="vneid_callback"),
    path("nop-ho-so/<str:code>/", apply.start, name="apply"),
    path("nop-ho-so/<str:code>/<slug:slug>/", apply.step, name="apply_step"),
    path("ho-so-cua-toi/", mine.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/nhap/<int:draft_id>/xoa/", mine.delete_draft, name="delete_draft"),
    path("ho-so-cua-toi/<str:code>/", mine.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", mine.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", mine.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/phieu/<slug:kind>.pdf", mine.slip, name="slip"),
    path("ho-so-cua-toi/<str:code>/tep/<int:file_id>/", mine.component_file, name="file"),
    path("ho-so-cua-toi/<str:code>/ket-qua.pdf", mine.electronic_result, name="electronic_result"),
    path("danh-gia/<str:code>/", rating.rate, name="rate"),
    path("dat-lich-hen/", bookings.book, name="book"),
    path("lich-hen-cua-toi/", bookings.my_bookings, name="my_bookings"),
    path("lich-hen-cua-toi/<str:code>/", bookings.booking, name="booking"),
    path("lich-hen-cua-toi/<str:code>/huy/", bookings.cancel, name="cancel_booking"),
]
