"""`/api/docs/` works without internet: Swagger UI comes from the package (drf-spectacular-sidecar)."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_api_documentation_loads_its_scripts_and_styles_from_this_site(db):
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources, "no script or style found on the page"
    for source in sources:
        assert source.startswith("/static/"), f"{source} is not served by this site"
        assert finders.find(source.removeprefix("/static/")), f"{source} is not in the static files"
