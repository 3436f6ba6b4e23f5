import logging
import sys
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from motcua.core.errors import error_body

log = logging.getLogger(__name__)


class AroundMiddleware:
    """A middleware Django runs synchronously or asynchronously, as the chain below it is (the display
    board's stream is async under ASGI): `before(request)` runs first and its result is the `state`;
    `after(request, response, state)` sees the response; `done(state)` runs last, even when the chain
    raised. When `after_reads_database(response)`, the async path runs `after` in a thread, off the
    event loop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        state = self.before(request)
        try:
            response = self.get_response(request)
            self.after(request, response, state)
        finally:
            self.done(state)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        state = self.before(request)
        try:
            response: HttpResponse = await self.get_response(request)
            if self.after_reads_database(response):
                await sync_to_async(self.after)(request, response, state)
            else:
                self.after(request, response, state)
        finally:
            self.done(state)
        return response

    def before(self, request: HttpRequest) -> Any:
        return None

    def after(self, request: HttpRequest, response: HttpResponse, state: Any) -> None:
        return None

    def after_reads_database(self, response: HttpResponse) -> bool:
        return False

    def done(self, state: Any) -> None:
        return None


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese unless the person chose another language (the switcher's cookie).

    Browsers in Vietnam commonly send `Accept-Language: en-US`; that must not turn a citizen's pages
    into English. API clients still negotiate with Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class RefuseNulBytesMiddleware:
    """Refuse, with 400, a request whose path, query, form fields, cookies or headers hold a NUL byte.

    PostgreSQL text cannot hold NUL: such a value reaching any query (a tracking code, a search, an API
    slug) fails in the database with a 500. No legitimate input contains one, so it is refused once, here,
    before any view or session look-up. JSON bodies are checked by the API's parser (`motcua.api.parsers`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return _nul_refused(request)
        return self.get_response(request)


NUL = "\x00"


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    if any(NUL in str(value) for key, value in request.META.items() if key.startswith("HTTP_")):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):  # may come unquoted
        return True
    forms = [request.GET]
    if request.method == "POST":
        if request.path.startswith("/api/"):
            # Read (and keep) the body first, so that DRF still parses it after request.POST did: a form
            # sent to a JSON endpoint must stay a 415 there, not arrive empty.
            request.body  # noqa: B018
        forms.append(request.POST)  # multipart or urlencoded; other bodies are left to their parser
    # (Uploaded file names need no check: Django drops their non-printable characters.)
    return any(
        NUL in key or any(NUL in value for value in values) for form in forms for key, values in form.lists()
    )


def _nul_refused(request: HttpRequest) -> HttpResponse:
    message = _("Yêu cầu chứa ký tự không hợp lệ (ký tự NUL); hãy kiểm tra lại dữ liệu đã nhập.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("invalid_character", message), status=400)
    # A bare page: the site's template would read the session and the user, with the same bad input.
    return HttpResponseBadRequest(_bare_page(_("Yêu cầu không hợp lệ"), message))


def _bare_page(title: str, message: str) -> str:
    return format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        '<body><h1>{}</h1><p role="alert">{}</p><p><a href="/">{}</a></p></body></html>',
        translation.get_language(),
        title,
        title,
        message,
        _("Về trang chủ"),
    )


# --- an overloaded moment of the database -----------------------------------------------------------------
# A write that waited its whole busy timeout for SQLite's lock, a row lock past PostgreSQL's lock_timeout, a
# deadlock, a server out of connections: the transaction was rolled back whole, nothing was saved, and
# the same request a few seconds later succeeds. It is answered 503 with Retry-After, in the API's error
# format or as a bare page (the site's template would read the session again), never as a 500.
RETRY_AFTER_SECONDS = 5


def database_busy(request: HttpRequest) -> HttpResponse:
    message = gettext_lazy(
        "Hệ thống đang quá tải, chưa lưu được yêu cầu của bạn. Vui lòng thử lại sau ít giây."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body("service_unavailable", message), status=503)
    else:
        response = HttpResponse(_bare_page(_("Hệ thống đang bận"), str(message)), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view (the API's included) that met an overloaded database answers 503 (`database_busy`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        log.warning("database busy: %s %s answered 503 (%s)", request.method, request.path, exception)
        return database_busy(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same 503 for an overloaded database met outside a view (a middleware saving the
    session); anything else is Django's 500."""
    if isinstance(sys.exc_info()[1], OperationalError):
        return database_busy(request)
    return defaults.server_error(request)
