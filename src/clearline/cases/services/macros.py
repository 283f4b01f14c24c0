"""Macros (PRD-04): canned replies with the case's variables filled in, written by supervisors."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.template import Context, TemplateSyntaxError

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError

from .. import rules
from ..language import SERVED_LANGUAGES
from ..models import Case, Macro
from ..templates_text import compile_template
from .acknowledgement import case_context
from .common import Author


def create_macro(*, name: str, language: str, body: str, by: Staff) -> Macro:
    require(by, Capability.MACRO_MANAGE)
    name = rules.ensure_text(name, field="name", max_length=120)
    body = rules.ensure_text(body, field="body", max_length=10_000)
    if language not in SERVED_LANGUAGES:
        raise DomainError(f"Language must be one of {', '.join(SERVED_LANGUAGES)}.", field="language")
    try:
        compile_template(body)
    except TemplateSyntaxError as error:
        raise DomainError(f"The macro does not compile: {error}", field="body") from error
    try:
        with transaction.atomic():
            macro = Macro.objects.create(name=name, language=language, body=body)
            audit.record(
                actor=Author.of_staff(by).actor(),
                action="macro.created",
                target=macro,
                new_stream=True,
                data={"name": name, "language": language},
            )
    except IntegrityError as error:
        raise DomainError("A macro with that name exists in that language.", field="name") from error
    return macro


def render_macro(macro: Macro, case: Case, *, by: Staff) -> str:
    """The macro for this case, as the agent's draft: their name, the customer's, the case's estimates."""
    require(by, Capability.CASE_REPLY)
    context = {
        **case_context(case),
        "customer_name": case.customer.name or case.customer.email.split("@", 1)[0],
        "agent_name": by.display_name or by.email.split("@", 1)[0],
    }
    return compile_template(macro.body).render(Context(context)).strip()
