"""`/lien-thong/truc-sandbox/`: the axes' sandbox (enabled by MOTCUA_AXIS_SANDBOX, default DEBUG)."""

from django.urls import path

from motcua.interop.axis import sandbox

app_name = "axis-sandbox"

urlpatterns = [
    path("dieu-khien", sandbox.controls, name="controls"),
    path("<str:axis>/token", sandbox.token, name="token"),
    path("<str:axis>/<path:path>", sandbox.gateway, name="gateway"),
]
