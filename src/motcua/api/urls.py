from django.urls import path

from . import token_views, views

urlpatterns = [
    path("auth/token", token_views.TokenView.as_view(), name="auth-token"),
    path("procedures/", views.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", views.ProcedureDetailView.as_view(), name="procedure-detail"),
    path("dossiers/", views.DossierListCreateView.as_view(), name="dossier-list"),
    path("dossiers/<str:code>/", views.DossierDetailView.as_view(), name="dossier-detail"),
    # One endpoint per legal act: POST /api/v1/dossiers/{code}/request-supplement
    *(
        path(f"dossiers/<str:code>/{slug}", view.as_view(), name=f"dossier-{slug}")
        for slug, view in views.ACT_VIEWS.items()
    ),
]
