from django.urls import path

from motcua.documents import views

app_name = "documents"

urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc.json", views.verify_json, name="verify-json"),
]
