"""The ASGI application: production serves it with gunicorn and uvicorn workers (deploy/gunicorn.conf.py).

Under ASGI a long-lived response (the display board's server-sent events) waits on the event loop instead of
holding a worker; the ordinary views run in a thread of their own per request, so the settings take their
database connections from a pool (MOTCUA_ASGI) rather than keeping one per thread.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ["MOTCUA_ASGI"] = "1"
application = get_asgi_application()
