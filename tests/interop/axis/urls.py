"""The URLconf of the axis tests: the axes' sandbox and the province's inbound endpoint, then the project."""

from django.urls import include, path

urlpatterns = [
    path("lien-thong/truc-sandbox/", include("motcua.interop.axis.urls")),
    path("lien-thong/truc/", include("motcua.interop.ministries.urls")),
    path("", include("motcua.urls")),
]
