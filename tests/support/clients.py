"""Test clients for the province's people (the API's token clients are in tests/api/conftest.py)."""

from django.test import Client

from motcua.core.models import User


def client_for(user: User | None) -> Client:
    """A page client signed in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
