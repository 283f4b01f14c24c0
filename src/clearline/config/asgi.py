"""ASGI entry point: HTTP through Django (pooled threads), WebSocket through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.config.settings")

import django

django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from clearline.core.asgi import PooledThreadASGIHandler  # noqa: E402

django_application = PooledThreadASGIHandler(threads=settings.WEB_THREADS)

application = ProtocolTypeRouter({"http": django_application, "websocket": URLRouter([])})
