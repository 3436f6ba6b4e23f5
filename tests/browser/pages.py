"""A browser page already signed in as a user (the session cookie of Django's test client), for journeys
whose subject is not the login form."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page


def signed_in_page(browser: Browser, base: str, user) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page
