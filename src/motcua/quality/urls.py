from django.urls import path

from motcua.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("thong-ke/", views.report, name="report"),
    path("thong-ke/xuat.<str:fmt>", views.report_export, name="report_export"),
    path("tre-han/", views.late, name="late"),
    path("cong-khai/", views.public, name="public"),
]
