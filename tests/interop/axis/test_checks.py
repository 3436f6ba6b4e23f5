"""The axes' system checks: the sandbox on in production, an axis without its signing secret."""

from motcua.interop.axis.checks import check_axes


def ids(settings) -> list[str]:
    return [m.id for m in check_axes(None)]


def test_the_sandbox_with_debug_off_is_reported(settings):
    settings.DEBUG, settings.MOTCUA_AXIS_SANDBOX, settings.MOTCUA_AXES = False, True, {}
    assert ids(settings) == ["interop.W001"]
    settings.MOTCUA_AXIS_SANDBOX = False
    assert ids(settings) == []


def test_an_axis_without_its_signing_secret_is_reported(settings):
    settings.DEBUG, settings.MOTCUA_AXIS_SANDBOX = False, False
    settings.MOTCUA_AXES = {"lgsp": {"url": "https://lgsp.nghean.gov.vn/"}, "ngsp": {}}
    assert ids(settings) == ["interop.W002"]
    settings.MOTCUA_AXES = {"lgsp": {"url": "https://lgsp.nghean.gov.vn/", "signing_secret": "s"}}
    assert ids(settings) == []
