from django.urls import path

from motcua.quality import lateness_views, views

app_name = "quality"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("thong-ke/", views.report, name="report"),
    path("thong-ke/xuat.<str:fmt>", views.report_export, name="report_export"),
    path("tre-han/", views.late, name="late"),
    path("cong-khai/", views.public, name="public"),
    path("ai-cham/", lateness_views.overview, name="lateness"),
    path("ai-cham/xuat.xlsx", lateness_views.overview_export, name="lateness_export"),
    path("ai-cham/thu-tuc/<str:code>/", lateness_views.procedure, name="lateness_procedure"),
    path(
        "ai-cham/thu-tuc/<str:code>/xuat.xlsx",
        lateness_views.procedure_export,
        name="lateness_procedure_export",
    ),
    path("ai-cham/thu-tuc/<str:code>/buoc/<int:position>/", lateness_views.step, name="lateness_step"),
    path(
        "ai-cham/thu-tuc/<str:code>/buoc/<int:position>/xuat.xlsx",
        lateness_views.step_export,
        name="lateness_step_export",
    ),
]
