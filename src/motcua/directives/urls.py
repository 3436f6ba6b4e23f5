from django.urls import path

from motcua.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.home, name="home"),
    path("moi/", views.new_directive, name="new"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/xuat.<str:fmt>", views.export, name="export"),
    path("<int:pk>/van-ban/", views.signed_document, name="signed_document"),
    path("bao-cao/<int:assignment_id>/<int:period_id>/", views.report, name="report"),
    path("bao-cao/<int:assignment_id>/<int:period_id>/xem-xet/", views.review, name="review"),
    path("tep/<int:file_id>/", views.report_file, name="file"),
]
