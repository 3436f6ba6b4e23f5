"""`/lien-thong/truc/`: what the data axis delivers to the province (the ministries' callbacks)."""

from django.urls import path

from motcua.interop.ministries import views

app_name = "axis"

urlpatterns = [
    path("nhan/<str:system>", views.receive, name="receive"),
]
