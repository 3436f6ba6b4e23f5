"""One table from act to service (#14 item 2): every act on an existing dossier has its service there, and
the back office's forms and the API's endpoints reach services only through it."""

from motcua.api.acts import ENDPOINTS
from motcua.backoffice.forms import ACT_FORMS
from motcua.dossiers import services
from motcua.dossiers.states import NO_DOSSIER_YET, RULES, Act


def test_every_act_on_an_existing_dossier_has_one_service():
    on_existing = {act for act, rule in RULES.items() if not set(rule.sources) <= NO_DOSSIER_YET}
    assert set(services.ACT_SERVICES) == on_existing
    assert {Act.SUBMIT_ONLINE, Act.RECEIVE, Act.REFUSE_AT_COUNTER}.isdisjoint(services.ACT_SERVICES)
    for act, service in services.ACT_SERVICES.items():
        assert service.__name__ == act.value, act  # the service is named after the act


def test_forms_and_endpoints_use_the_table():
    assert set(ACT_FORMS) <= set(services.ACT_SERVICES)
    for endpoint in ENDPOINTS:
        assert endpoint.service is services.ACT_SERVICES[endpoint.act]
