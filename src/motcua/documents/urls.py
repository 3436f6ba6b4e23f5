from django.urls import path

from motcua.documents import views

app_name = "documents"

urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc.json", views.verify_json, name="verify-json"),
    path("ket-qua/<str:code>.pdf", views.electronic_result, name="electronic_result"),
]
