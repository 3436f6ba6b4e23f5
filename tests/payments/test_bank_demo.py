"""The demo's bank statement (#19): one line of each kind, reconciled once."""

import pytest

from motcua.demo.bank import load_demo_bank_statement
from motcua.dossiers.states import Status
from motcua.payments.models import BankLine
from tests.dossiers.helpers import dossier_in

pytestmark = pytest.mark.django_db


def test_the_demo_statement_has_a_line_of_each_kind(province):
    dossier_in(province, Status.PROCESSING)
    dossier_in(province, Status.PROCESSING)
    assert load_demo_bank_statement(province.admin) == 4
    counts = sorted(BankLine.objects.values_list("category", flat=True))
    assert counts == ["duplicate", "matched", "mismatch", "unmatched"]
    assert load_demo_bank_statement(province.admin) == 0
