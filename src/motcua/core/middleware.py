from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
