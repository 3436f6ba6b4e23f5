"""The officials' web site, under /can-bo/."""

from django.urls import path

from motcua.backoffice.views import (
    auth,
    consultations,
    decisions,
    documents,
    dossier,
    eforms,
    exchanges,
    identity,
    reception,
    worklists,
)

app_name = "backoffice"

urlpatterns = [
    path("dang-nhap/", auth.login, name="login"),
    path("dang-xuat/", auth.logout, name="logout"),
    path("xac-thuc-hai-buoc/", auth.second_factor, name="second_factor"),
    path("xac-thuc-hai-buoc/dang-ky/", auth.second_factor_enrol, name="second_factor_enrol"),
    path("", worklists.work_lists, name="work_lists"),
    path("tiep-nhan/", reception.choose_procedure, name="reception"),
    path("tiep-nhan/<str:code>/", reception.receive, name="receive"),
    path("xac-thuc-danh-tinh/", identity.find_account, name="identity"),
    path("xac-thuc-danh-tinh/<int:user_id>/", identity.verify, name="identity_verify"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/xu-ly/<slug:act_name>/", dossier.act, name="act"),
    path("ho-so/<str:code>/phieu-kiem-soat/", dossier.control_slip, name="control_slip"),
    path("ho-so/<str:code>/phieu/<slug:kind>.pdf", documents.slip, name="slip"),
    path("ho-so/<str:code>/tep/<int:file_id>/", documents.component_file, name="file"),
    path("ho-so/<str:code>/xin-y-kien/", consultations.ask, name="consult"),
    path("ho-so/<str:code>/xin-y-kien/tra-loi/", consultations.answer, name="answer_consultation"),
    path("ho-so/<str:code>/xin-y-kien/tep/<int:file_id>/", consultations.file, name="consultation_file"),
    path("xin-y-kien/", consultations.asked_of_my_unit, name="consultations"),
    path("quyet-dinh-cong-bo/", decisions.decisions, name="decisions"),
    path("to-khai/", eforms.form_list, name="eforms"),
    path("to-khai/<int:procedure_id>/", eforms.edit_form, name="eform_edit"),
    path("ho-so/<str:code>/lien-thong/", exchanges.ministry, name="ministry"),
    path("lien-thong/", exchanges.exchanges, name="exchanges"),
]
