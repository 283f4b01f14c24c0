"""Django over ASGI with each request's sync work done in one hop, on a fixed pool of long-lived threads.

Stock Django gives every request a new thread for its sync code, so every request opens a new database
connection, and it crosses between the event loop and that thread several times per request (signals,
the adapted middleware chain, closing). Clearline's views and middleware are synchronous, so here the
event loop only reads the body and writes the response; everything in between (``request_started``,
the sync middleware chain, the view) runs in one call on the least busy of N single-thread executors,
whose database connections persist (``CONN_MAX_AGE``). Client disconnects are not watched: a request
runs to completion, as it would under WSGI.

Paths under ``bare_prefixes`` (the carriers' webhooks) skip the middleware chain: no session, locale,
CSRF, sign-in or page headers apply to a machine posting a signed form, and at hundreds of webhooks a
second the chain was a seventh of each answer. Their views check the caller themselves (signatures).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.exception import convert_exception_to_response
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import set_script_prefix, set_urlconf
from django.utils.log import log_response


class PooledThreadASGIHandler(ASGIHandler):
    def __init__(self, *, threads: int, bare_prefixes: tuple[str, ...] = ()) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._bare_prefixes = bare_prefixes
        self._bare_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        self._executors = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"clearline-web-{n}") for n in range(threads)
        ]
        self._in_flight = [0] * threads

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        index = min(range(len(self._in_flight)), key=self._in_flight.__getitem__)
        self._in_flight[index] += 1
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(self._executors[index], self._respond, scope, body_file)
            try:
                await self.send_response(response, send)
            finally:
                if response.streaming:  # the others were closed on their thread, see _respond
                    await loop.run_in_executor(self._executors[index], response.close)
        finally:
            self._in_flight[index] -= 1
            body_file.close()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response = cast(HttpResponseBase, error_response if request is None else self._response_to(request))
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            # The body is in memory: close now, on the request's thread (request_finished closes or keeps
            # its database connection), and save a second hop to this thread after sending.
            response.close()
        return response

    def _response_to(self, request: HttpRequest) -> HttpResponseBase:
        """``BaseHandler.get_response``, with the bare chain for the bare prefixes."""
        set_urlconf(settings.ROOT_URLCONF)
        bare = self._bare_prefixes and request.path_info.startswith(self._bare_prefixes)
        chain = self._bare_chain if bare else self._middleware_chain  # type: ignore[attr-defined]
        response = cast(HttpResponse, chain(request))
        response._resource_closers.append(request.close)  # type: ignore[attr-defined]
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
