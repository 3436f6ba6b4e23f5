from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.core import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("motcua.api.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("chat-luong/", include("motcua.quality.urls")),
    path("chi-so-tinh/", include("motcua.standing.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("tai-lieu/", include("motcua.documents.urls")),
    path("lien-thong/", include("motcua.intake.urls")),  # the portal's webhook, the inbound sandbox
    path("lien-thong/", include("motcua.interop.dvcqg.urls")),
    path("lien-thong/", include("motcua.interop.zalo_sandbox")),  # 404 unless MOTCUA_ZALO_SANDBOX
    path("lien-thong/truc/", include("motcua.interop.ministries.urls")),  # what the data axis delivers
    path("lien-thong/truc-sandbox/", include("motcua.interop.axis.urls")),  # the axes' sandbox
    path("xep-hang/", include("motcua.queueing.urls")),
    path("chi-dao/", include("motcua.directives.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.catalog.urls")),
]

handler500 = "motcua.core.middleware.server_error"
