"""ASGI entry point: HTTP through Django (pooled threads), WebSocket through Channels."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.config.settings")

import django

django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from clearline.core.asgi import PooledThreadASGIHandler  # noqa: E402

django_application = PooledThreadASGIHandler(threads=settings.WEB_THREADS, bare_prefixes=("/hooks/",))
get_resolver().check()  # imports every view now, not on the first request
# What is loaded at start-up lives as long as the process: frozen, full collections no longer walk it (they
# stalled every request thread for up to 250 ms under load), and collections run less often.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 20, 20)

application = ProtocolTypeRouter({"http": django_application, "websocket": URLRouter([])})
