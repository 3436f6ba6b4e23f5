"""The dossier a counter officer receives while serving a called ticket is that ticket's (the measures
follow a person from the kiosk to their dossier); received in the same transaction."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.backoffice.helpers import client_for
from tests.backoffice.test_reception import form_data, post_form
from tests.queueing import helpers
from tests.queueing.helpers import make_counter

pytestmark = pytest.mark.django_db


def test_the_dossier_received_at_the_counter_is_the_called_tickets(province):
    desk = make_counter(province.commune, 1)
    waiting = helpers.take(province.commune, now=None)
    client = client_for(province.counter)
    # Nobody called yet: a dossier received links no ticket.
    assert post_form(client, province.birth, form_data(province)).status_code == 302
    assert Ticket.objects.get(pk=waiting.pk).dossier is None
    called = services.call_next(counter=desk, acting_user=province.counter)
    assert called is not None
    response = post_form(client, province.birth, form_data(province, applicant_name="Trần Văn Bình"))
    assert response.status_code == 302
    called.refresh_from_db()
    assert called.dossier == Dossier.objects.get(applicant_name="Trần Văn Bình")
    # Another officer's reception does not touch this counter's ticket.
    other = helpers.take(province.commune, now=None)
    services.finish(ticket=called, acting_user=province.counter, served=True)
    services.call_next(counter=desk, acting_user=province.counter)
    post_form(client_for(province.other_counter), province.birth, form_data(province))
    assert Ticket.objects.get(pk=other.pk).dossier is None
