"""The outbox is its own app (#14 item 1): its table, rows and foreign keys stay where they were, dossiers
enqueue through it, and the apps that handle an act's side effects queue them from the act's event."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from motcua.documents.results import ISSUE_ELECTRONIC_RESULT
from motcua.dossiers import services
from motcua.dossiers.states import Act
from motcua.interop.dvcqg.services import SYNC
from motcua.interop.handlers import NOTIFY_APPLICANT
from motcua.interop.models import Notification, SyncRecord
from motcua.outbox.models import OutboxMessage
from motcua.quality.signals import REFRESH_STATS
from tests.dossiers.helpers import at

BEFORE = [("interop", "0005_outbox_request_id"), ("outbox", None)]


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_rows_their_links_and_permissions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE[0]).apps
    message = old.get_model("interop", "OutboxMessage").objects.create(
        topic="notify.applicant", payload={"code": "H01"}, available_at=timezone.now(), attempts=3
    )
    old.get_model("interop", "Notification").objects.create(
        dossier_code="H01", recipient="a@example.vn", subject="s", body="b", outbox_message_id=message.pk
    )
    old_type = ContentType.objects.get(app_label="interop", model="outboxmessage")  # moved back with it

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = OutboxMessage.objects.get(pk=message.pk)
    assert (moved.topic, moved.payload, moved.attempts) == ("notify.applicant", {"code": "H01"}, 3)
    assert Notification.objects.get().outbox_message == moved
    assert list(moved.notifications.all()) == [Notification.objects.get()]
    assert ContentType.objects.get_for_model(OutboxMessage).pk == old_type.pk
    assert Permission.objects.filter(content_type=old_type, codename="view_outboxmessage").exists()


def test_the_model_and_foreign_keys_belong_to_the_outbox_on_the_same_table():
    assert OutboxMessage._meta.app_label == "outbox"
    assert OutboxMessage._meta.db_table == "interop_outboxmessage"
    assert not any(model.__name__ == "OutboxMessage" for model in apps.get_app_config("interop").get_models())
    for model in (Notification, SyncRecord):
        assert model._meta.get_field("outbox_message").related_model is OutboxMessage


def test_issue_result_queues_each_side_effect_from_its_event_in_order(province):
    """The e-result first: the DVCQG sync of the same act sends it once it is signed."""
    d = province.receive(now=at(0))
    d = services.start_processing(dossier=d, acting_user=province.counter, now=at(0.5))
    d = services.complete_step(dossier=d, acting_user=province.specialist, now=at(1))
    d = services.approve(dossier=d, acting_user=province.leader, now=at(2))
    last = OutboxMessage.objects.order_by("pk").last().pk
    services.issue_result(dossier=d, acting_user=province.leader, now=at(3))
    queued = list(OutboxMessage.objects.filter(pk__gt=last).order_by("pk"))
    assert [m.topic for m in queued] == [ISSUE_ELECTRONIC_RESULT, NOTIFY_APPLICANT, SYNC, REFRESH_STATS]
    assert queued[0].payload == {"dossier_id": d.pk, "acting_user_id": province.leader.pk}
    assert (queued[1].payload["act"], queued[1].payload["code"]) == (Act.ISSUE_RESULT.value, d.code)
