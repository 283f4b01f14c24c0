"""The versioned JSON API (``/api/v1/``): one NinjaAPI, routers from the apps, errors as JSON 4xx."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from clearline.cases.api import router as cases_router
from clearline.channels.email.api import router as email_router
from clearline.channels.voice.api import router as voice_router
from clearline.compliance.api import router as compliance_router
from clearline.core.errors import DomainError
from clearline.kb.api import router as kb_router
from clearline.notices.api import router as notices_router
from clearline.org.api import router as org_router
from clearline.sla.api import router as sla_router

logger = logging.getLogger(__name__)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class _TextParser(Parser):
    """Bodies and query strings that carry a NUL character are refused with 422: PostgreSQL text cannot hold
    one, and the write would otherwise fail as a 500 that tells the caller nothing."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return _refuse_nul(super().parse_body(request))

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        return _refuse_nul(super().parse_querydict(data, list_fields, request))


class _NulInText(ValueError):
    def __init__(self) -> None:
        super().__init__("Text must not contain NUL characters (\\u0000).")


def _refuse_nul(data: dict[str, Any]) -> dict[str, Any]:
    if _has_nul(data):
        raise _NulInText
    return data


api = NinjaAPI(
    title="Clearline API",
    version="1.0.0",
    description="Cases, messages and classification for the Clearline customer-service and complaints desk.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=_TextParser(),
)
api.add_router("/", cases_router)
api.add_router("/", sla_router)
api.add_router("/", notices_router)
api.add_router("/", compliance_router)
api.add_router("/", kb_router)
api.add_router("/", org_router)
api.add_router("/", email_router)
api.add_router("/", voice_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "field": error.field, "code": error.code}, status=error.status_code
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": error.errors, "code": "invalid"}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentication required: send Authorization: Bearer <token>.", "code": "unauthenticated"},
        status=401,
    )


@api.exception_handler(_NulInText)
def nul_in_text(request: HttpRequest, error: _NulInText) -> HttpResponse:
    return api.create_response(request, {"detail": str(error), "code": "invalid"}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, _NulInText):  # django-ninja turns a body parser's error into a bare 400
        return nul_in_text(request, error.__cause__)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)
