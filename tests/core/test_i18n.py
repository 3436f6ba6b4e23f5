"""The English translation of the UI (Vietnamese is the source language: msgids are Vietnamese).

Pages switch to English only through the language cookie; the API negotiates with Accept-Language.
The catalog must be complete (no empty or fuzzy msgstr) and its committed .mo compiled from the .po.
"""

import gettext as gnu_gettext
import re
import shutil
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext
from rest_framework.test import APIClient

MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

# Letters that only Vietnamese uses (tone marks, ơ, ư, đ): a word with one is Vietnamese.
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdif]|\{\w*\}")


@pytest.fixture(autouse=True)
def _vietnamese_afterwards():
    # A request activates its language for the rest of the thread; later tests expect Vietnamese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def vietnamese_words(text: str) -> set[str]:
    text = unicodedata.normalize("NFC", text)
    return {w.strip(".,:;()–—·“”*") for w in text.split() if VIETNAMESE.search(w)}


def data_words() -> set[str]:
    """Words of the stored data (procedure, unit, step and applicant names…): they stay Vietnamese."""
    texts = ["Tiếng Việt"]  # the language switcher names each language in itself
    for label in ("catalog", "core", "dossiers"):
        for model in apps.get_app_config(label).get_models():
            for row in model.objects.values():
                texts += [v for v in row.values() if isinstance(v, str)]
    return vietnamese_words(" ".join(texts))


def assert_no_vietnamese_chrome(html: str) -> None:
    leftover = vietnamese_words(page_text(html)) - data_words()
    assert not leftover, f"untranslated Vietnamese on the page: {sorted(leftover)}"


@pytest.mark.parametrize("url", ["/", "/tra-cuu/", "/can-bo/dang-nhap/", "/dich-vu-cong/"])
def test_public_pages_are_english_with_the_cookie(province, client, url):
    response = english(client).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Administrative procedures" in html  # the main navigation
    assert "Skip to main content" in html
    assert_no_vietnamese_chrome(html)


def test_home_page_in_english(province, client):
    html = english(client).get("/").content.decode()
    assert "<title>Nghe An Province Administrative Procedure Information System</title>" in html
    assert "Administrative procedure catalogue" in html
    assert "3 procedures published." in html
    assert "Thủ tục hành chính" not in html


def test_tracking_and_staff_login_in_english(province, client):
    english(client)
    tracking = client.get("/tra-cuu/").content.decode()
    assert "Track dossier status" in tracking
    assert "ID number / tax code / phone number" in tracking
    login = client.get("/can-bo/dang-nhap/").content.decode()
    assert "Staff sign-in" in login
    assert "Username" in login and "Password" in login


def test_staff_pages_are_english_with_the_cookie(province, client):
    dossier = province.processing()
    client.force_login(province.counter)
    english(client)
    worklists = client.get("/can-bo/").content.decode()
    assert "To process" in worklists and "Sign out" in worklists
    assert_no_vietnamese_chrome(worklists)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Processing steps" in page and "Receipt and appointment slip" in page


def test_vietnamese_stays_the_default(province, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="vi">' in html
    assert "Thủ tục hành chính" in html


def test_api_errors_in_english_with_accept_language(province):
    api = APIClient()
    api.force_authenticate(province.counter)
    missing = api.get("/api/v1/dossiers/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    body = missing.json()
    assert body["message"] == body["message_en"] == "Not found."
    assert body["message_vi"] == "Không tìm thấy."

    dossier = province.receive()  # already received: accepting it again conflicts
    conflict = api.post(
        f"/api/v1/dossiers/{dossier.code}/accept",
        {"version": dossier.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["message"] == body["message_en"]
    assert not VIETNAMESE.search(body["message_en"]), body
    assert VIETNAMESE.search(body["message_vi"]), body


def test_gettext_in_english():
    with translation.override("en"):
        assert gettext("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") == "Receipt and appointment slip"
        assert gettext("Trung tâm Phục vụ hành chính công") == "Public Administration Service Center"
        assert ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", 1) % {"n": 1} == "1 working day"
        assert ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", 5) % {"n": 5} == "5 working days"
    with translation.override("vi"):
        assert gettext("Trung tâm Phục vụ hành chính công") == "Trung tâm Phục vụ hành chính công"


def po_entries() -> list[str]:
    blocks = PO.read_text(encoding="utf-8").strip().split("\n\n")
    return [b for b in blocks[1:] if not b.lstrip().startswith("#~")]


def test_po_is_complete():
    text = PO.read_text(encoding="utf-8")
    assert not re.search(r"^#,.*\bfuzzy\b", text, re.MULTILINE), "fuzzy entries left"
    assert "Language: en\\n" in text
    entries = po_entries()
    assert len(entries) > 900
    empty = [e for e in entries if re.search(r'^msgstr(\[\d+\])? ""\n(?!")', e + "\n", re.MULTILINE)]
    assert not empty, empty[:5]


def test_mo_has_every_entry_in_english():
    with MO.open("rb") as f:
        catalog = gnu_gettext.GNUTranslations(f)._catalog
    catalog.pop("", None)  # header
    singulars = {k for k in catalog if isinstance(k, str)} | {k[0] for k in catalog if isinstance(k, tuple)}
    assert len(singulars) == len(po_entries())
    for key, translated in catalog.items():
        msgid = key if isinstance(key, str) else key[0]
        assert translated and not VIETNAMESE.search(translated), (msgid, translated)
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(translated)), (
            msgid,
            translated,
        )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_mo_is_compiled_from_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == MO.read_bytes(), "django.mo is stale: run `motcua compilemessages`"
