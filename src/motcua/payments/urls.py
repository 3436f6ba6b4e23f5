from django.urls import path

from motcua.payments import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/", views.start, name="start"),
    path("sandbox/<str:reference>/", views.sandbox, name="sandbox"),
    path("callback/<slug:provider>/", views.callback, name="callback"),
]
