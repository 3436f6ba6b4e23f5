"""A production start (DEBUG=0, settings from the environment) passes `check --deploy`, and every page
carries a Content-Security-Policy that its own markup honours."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3#r9vQz!p7Lm2@xW8nT5&bY4cJ6hF1sD0gA-uE_iO+oPqRsTvWxYz",
    "ALLOWED_HOSTS": "motcua.nghean.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://motcua.nghean.gov.vn",
    "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
    "EMAIL_BACKEND": "smtp",
    "EMAIL_HOST": "mail.nghean.gov.vn",
    "MOTCUA_OUTBOX_DISPATCH": "off",
}


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DJANGO_", "EMAIL_"))}
    clean |= {"MOTCUA_VAR_DIR": str(tmp_path)} | env
    motcua = [sys.executable, "-m", "motcua.cli"] if not (ROOT / ".venv/bin/motcua").exists() else []
    command = motcua or [str(ROOT / ".venv/bin/motcua")]
    return subprocess.run(
        [*command, "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_production_start_passes_check_deploy(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_mail_backend_does_not_start(tmp_path):
    result = check_deploy(tmp_path, **(PRODUCTION | {"EMAIL_BACKEND": ""}))
    assert result.returncode != 0
    assert "EMAIL_BACKEND must be set" in result.stderr


def test_production_without_https_fails_check_deploy(tmp_path):
    result = check_deploy(tmp_path, **(PRODUCTION | {"MOTCUA_HTTPS": "0"}))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


INLINE = re.compile(r"<(script|style)\b(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


@pytest.mark.parametrize(
    "url",
    ["/", "/dich-vu-cong/", "/tra-cuu/", "/tai-khoan/dang-nhap/", "/can-bo/dang-nhap/", "/api/docs/"],
)
def test_pages_carry_a_csp_their_markup_honours(db, url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    found = re.search(r"'nonce-([^']+)'", policy)  # only when the page has inline code of its own
    html = response.content.decode()
    for _tag, attributes in INLINE.findall(html):
        assert found and f'nonce="{found.group(1)}"' in attributes, f"inline code without the nonce on {url}"
    assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"
    assert not re.search(r'\sstyle="', html), f"style attribute on {url}"
