from django.urls import path

from motcua.payments import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/", views.start, name="start"),
    path("sandbox/<str:reference>/", views.sandbox, name="sandbox"),
    path("callback/<slug:provider>/", views.callback, name="callback"),
    path("doi-soat/", views.bank_reconciliation, name="bank_reconciliation"),
    path("doi-soat/xlsx/", views.bank_reconciliation_xlsx, name="bank_reconciliation_xlsx"),
]
