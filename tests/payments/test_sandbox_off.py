"""The payment sandbox marks any payment paid and signs the callback itself (issue #10): it exists only with
DEBUG on or when chosen explicitly (MOTCUA_PAYMENT_SANDBOX), and a production start with it on says so."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from motcua.dossiers.states import Status
from motcua.payments.checks import warn_if_sandbox_in_production
from motcua.payments.gateways import SandboxGateway, sign
from motcua.payments.models import Payment
from motcua.payments.selectors import payment_state
from motcua.payments.services import start_payment
from tests.dossiers.helpers import dossier_in

pytestmark = pytest.mark.django_db

PRODUCTION = override_settings(DEBUG=False, MOTCUA_PAYMENT_SANDBOX=False)


@pytest.fixture
def pending(province) -> Payment:
    """A payment started while the sandbox was on (e.g. before an upgrade switched it off)."""
    dossier = dossier_in(province, Status.NEW_ONLINE)
    payment, _url = start_payment(dossier=dossier, acting_user=province.citizen)
    return payment


def test_in_production_the_sandbox_pages_and_callback_are_404(client, province, pending):
    fields = {"ref": pending.reference, "outcome": "paid", "amount": str(pending.amount_vnd), "txn": "T1"}
    with PRODUCTION:
        assert client.get(f"/thanh-toan/sandbox/{pending.reference}/").status_code == 404
        assert (
            client.post(f"/thanh-toan/sandbox/{pending.reference}/", {"outcome": "paid"}).status_code == 404
        )
        assert client.get(SandboxGateway().callback_url(fields)).status_code == 404
        assert client.post("/thanh-toan/callback/sandbox/", fields | {"sig": sign(fields)}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending" and not pending.dossier.events.filter(act="record_payment").exists()


def test_in_production_no_payment_starts_in_the_sandbox_and_the_page_says_why(client, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    client.force_login(province.citizen)
    with PRODUCTION:
        assert payment_state(dossier).can_pay is False
        page = client.post(f"/thanh-toan/ho-so/{dossier.code}/", follow=True).content.decode()
    assert "Thanh toán trực tuyến chưa sẵn sàng" in page
    assert not Payment.objects.exists()


def test_with_debug_on_the_sandbox_is_there(client, province, pending):
    with override_settings(DEBUG=True, MOTCUA_PAYMENT_SANDBOX=True):
        assert client.get(f"/thanh-toan/sandbox/{pending.reference}/").status_code == 200
        assert "payments.W001" not in [m.id for m in checks.run_checks(include_deployment_checks=True)]


def test_switched_on_in_production_it_warns_loudly(caplog):
    with override_settings(DEBUG=False, MOTCUA_PAYMENT_SANDBOX=True):
        ids = [m.id for m in checks.run_checks(include_deployment_checks=True)]
        with caplog.at_level(logging.WARNING, logger="motcua.payments.checks"):
            assert warn_if_sandbox_in_production() is True
    assert "payments.W001" in ids
    assert "payment SANDBOX is ON with DEBUG off" in caplog.text
    with override_settings(DEBUG=False, MOTCUA_PAYMENT_SANDBOX=False):
        assert "payments.W001" not in [m.id for m in checks.run_checks(include_deployment_checks=True)]
        assert warn_if_sandbox_in_production() is False


def _production(tmp_path: Path, **env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MOTCUA_PAYMENT_SANDBOX"}}
    # What a production start must set anyway (settings.py refuses to start without it).
    return (
        base
        | {
            "SECRET_KEY": "x" * 60,
            "MOTCUA_VAR_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "motcua.example",
            "EMAIL_BACKEND": "none",
            "DEBUG": "0",
        }
        | env
    )


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_settings_follow_debug_unless_chosen_explicitly(tmp_path):
    show = [sys.executable, "-c", "import motcua.settings as s; print(s.MOTCUA_PAYMENT_SANDBOX)"]
    assert _run(show, _production(tmp_path)).stdout.strip() == "False"
    assert _run(show, _production(tmp_path, DEBUG="1")).stdout.strip() == "True"
    assert _run(show, _production(tmp_path, MOTCUA_PAYMENT_SANDBOX="1")).stdout.strip() == "True"


def test_check_deploy_reports_it_in_production(tmp_path):
    motcua = str(Path(sys.executable).with_name("motcua"))
    check = [motcua, "check", "--deploy", "--tag", "security"]
    quiet = _run(check, _production(tmp_path))
    assert "payments.W001" not in quiet.stdout + quiet.stderr
    assert "System check identified" in quiet.stdout + quiet.stderr, quiet.stderr[-2000:]
    loud = _run(check, _production(tmp_path, MOTCUA_PAYMENT_SANDBOX="1"))
    assert "payments.W001" in loud.stdout + loud.stderr, loud.stderr[-2000:]
    assert "SECURITY: The payment SANDBOX is ON" in loud.stderr  # the start-up log line
