"""The ASGI application: production serves it with gunicorn and uvicorn workers (deploy/gunicorn.conf.py).

Under ASGI a long-lived response (the display board's server-sent events) waits on the event loop instead of
holding a worker; the ordinary views still run in Django's thread for sync code.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_asgi_application()
