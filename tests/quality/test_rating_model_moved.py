"""`Rating` moved from `portal` to `quality` (#14 item 1) without touching its table: a rating stored before
the move is read through `quality.models.Rating` after it, and the way back keeps it too."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.dossiers.states import Status
from motcua.quality.models import Rating
from tests.dossiers.helpers import dossier_in
from tests.factories import build_province

BEFORE = [("portal", "0001_initial"), ("quality", "0003_clock_spans")]
AFTER = [("portal", "0002_rating_moved_to_quality"), ("quality", "0004_rating")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_a_rating_stored_before_the_move_is_read_after_it():
    finished = dossier_in(build_province(), Status.FINISHED)
    ContentType.objects.get_for_model(Rating)  # as on a running installation: the content type exists
    ContentType.objects.filter(app_label="quality", model="rating").update(app_label="portal")
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        assert old.get_model("portal", "Rating")._meta.db_table == "portal_rating"
        with pytest.raises(LookupError):
            old.get_model("quality", "Rating")
        old.get_model("portal", "Rating").objects.create(
            dossier_id=finished.pk, satisfied=False, attitude=2, comment="Chờ lâu", unit_path="/1/"
        )

        new = _migrate(AFTER).loader.project_state(AFTER).apps
        with pytest.raises(LookupError):
            new.get_model("portal", "Rating")
        assert new.get_model("quality", "Rating").objects.get().comment == "Chờ lâu"
        rating = Rating.objects.get()  # the model the code uses
        assert (rating.dossier, rating.satisfied, rating.attitude) == (finished, False, 2)
        assert finished.rating == rating
        assert ContentType.objects.filter(app_label="quality", model="rating").count() == 1
        assert not ContentType.objects.filter(app_label="portal", model="rating").exists()

        _migrate(BEFORE)  # and back: the rows stay
        assert Rating.objects.count() == 1
        assert ContentType.objects.filter(app_label="portal", model="rating").exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
