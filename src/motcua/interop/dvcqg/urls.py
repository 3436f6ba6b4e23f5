"""`/lien-thong/`: the DVCQG sandbox (enabled by MOTCUA_DVCQG_SANDBOX, default DEBUG)."""

from django.urls import path

from motcua.interop.dvcqg import sandbox

app_name = "dvcqg"

urlpatterns = [
    path("dvcqg-sandbox/login", sandbox.login, name="sandbox-login"),
    path("dvcqg-sandbox/<str:service>", sandbox.service, name="sandbox-service"),
]
