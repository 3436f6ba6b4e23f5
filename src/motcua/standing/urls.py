from django.urls import path

from motcua.standing import views

app_name = "standing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/<str:index>/", views.entry, name="entry"),
    path("nhap-tep/", views.import_tables, name="import"),
    path("muc-tieu/", views.target, name="target"),
    path("mau-nhap.xlsx", views.template_xlsx, name="template"),
]
