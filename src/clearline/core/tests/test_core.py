from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from clearline.config.settings import database_config, email_config
from clearline.core.mail import OutboxBackend
from clearline.core.references import (
    REFERENCE_ALPHABET,
    REFERENCE_PATTERN,
    new_reference,
    normalise_reference,
)


def test_references_match_the_pattern_and_avoid_ambiguous_characters_dfs_12():
    """DFS-12: references match the pattern and avoid ambiguous characters."""
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    assert all(REFERENCE_PATTERN.fullmatch(r) for r in references)
    assert not set("01ILOU") & set(REFERENCE_ALPHABET)


@given(st.text(max_size=30))
def test_normalise_reference_never_raises(value):
    result = normalise_reference(value)
    assert result is None or REFERENCE_PATTERN.fullmatch(result)


def test_normalise_reference_accepts_what_customers_type():
    assert normalise_reference(" cl-7kq2 m9xa ") == "CL-7KQ2M9XA"
    assert normalise_reference("CL7KQ2M9XA") == "CL-7KQ2M9XA"
    assert normalise_reference("CL-7KQ2M9X0") is None


def test_email_url_parsing():
    assert email_config("")["EMAIL_BACKEND"] == "clearline.core.mail.OutboxBackend"
    smtp = email_config("smtp://user:pw@127.0.0.1:2525")
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_HOST_USER"]) == ("127.0.0.1", 2525, "user")


def test_postgresql_prepares_repeated_statements_unless_the_url_turns_it_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://clearline@db.internal:5432/clearline")
    config = database_config()
    assert config["ENGINE"] == "clearline.core.postgresql"
    assert config["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DATABASE_URL", "postgres://clearline@pgbouncer:6432/clearline?prepare_threshold=off")
    assert database_config()["OPTIONS"]["prepare_threshold"] is None


def test_outbox_backend_writes_one_eml_per_message(tmp_path):
    with override_settings(OUTBOX_DIR=tmp_path):
        sent = OutboxBackend().send_messages(
            [
                EmailMessage("s1", "b1", "a@x.test", ["b@y.test"]),
                EmailMessage("s2", "b2", "a@x.test", ["b@y.test"]),
            ]
        )
    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2 and len(files) == 2
    assert b"Subject: s1" in files[0].read_bytes() or b"Subject: s1" in files[1].read_bytes()


@pytest.mark.django_db
def test_health_and_readiness():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "jobs": "ok"}
