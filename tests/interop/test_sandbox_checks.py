"""The national portal's and Zalo's sandboxes are reported by the system checks when on with DEBUG off."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.interop.checks import check_sandboxes


def ids() -> list[str]:
    return [m.id for m in check_sandboxes(None)]


def test_each_sandbox_on_in_production_is_reported(settings):
    settings.DEBUG = False
    settings.MOTCUA_DVCQG_SANDBOX, settings.MOTCUA_ZALO_SANDBOX = True, True
    assert ids() == ["interop.W003", "interop.W004"]
    settings.MOTCUA_DVCQG_SANDBOX = False
    assert ids() == ["interop.W004"]
    settings.MOTCUA_ZALO_SANDBOX = False
    assert ids() == []


def test_in_development_the_sandboxes_are_expected(settings):
    settings.DEBUG, settings.MOTCUA_DVCQG_SANDBOX, settings.MOTCUA_ZALO_SANDBOX = True, True, True
    assert ids() == []


def test_check_deploy_fails_on_them(settings):
    settings.DEBUG, settings.MOTCUA_DVCQG_SANDBOX, settings.MOTCUA_ZALO_SANDBOX = False, True, False
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    except SystemCheckError as error:
        assert "interop.W003" in str(error)
    else:
        raise AssertionError("check --deploy passed with the portal's sandbox on")
