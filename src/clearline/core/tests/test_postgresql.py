"""The production backend's cheaper connection health check (PostgreSQL only)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, connections

from clearline.core.postgresql import base as postgresql

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")


@pytest.fixture
def served(db) -> Iterator[postgresql.DatabaseWrapper]:
    """A connection of its own, outside the test's transaction, as a web thread holds one."""
    wrapper = connections.create_connection("default")
    assert isinstance(wrapper, postgresql.DatabaseWrapper) and wrapper.settings_dict["CONN_HEALTH_CHECKS"]
    yield wrapper
    wrapper.close()


def _request(wrapper: postgresql.DatabaseWrapper, *, commit: bool = False) -> int:
    """One request: request_started's connection check, then a query (and a commit)."""
    wrapper.close_if_unusable_or_obsolete()
    if commit:
        wrapper.set_autocommit(False)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = int(cursor.fetchone()[0])
    if commit:
        wrapper.commit()
        wrapper.set_autocommit(True)
    return backend_pid


def test_a_connection_that_just_committed_is_trusted_an_idle_one_is_checked(served, monkeypatch):
    checks: list[bool] = []
    check = served.is_usable
    monkeypatch.setattr(served, "is_usable", lambda: checks.append(check()) or checks[-1])
    _request(served, commit=True)
    _request(served)
    assert checks == []  # no SELECT 1 round trip before the second request's query

    monkeypatch.setattr(postgresql, "TRUSTED_SECONDS", 0.0)  # the trusted second has passed
    _request(served)
    assert checks == [True]


def test_a_connection_the_server_closed_while_idle_is_replaced_without_an_error(served, monkeypatch):
    monkeypatch.setattr(postgresql, "TRUSTED_SECONDS", 0.0)
    first = _request(served, commit=True)
    with psycopg.connect(served.connection.info.dsn, autocommit=True) as admin:  # as on a server restart
        admin.execute("SELECT pg_terminate_backend(%s)", [first])
    assert _request(served) != first


def test_statements_a_connection_repeats_are_prepared(served):
    """psycopg prepares a statement once a connection has run it 5 times (Django turns that off unless asked),
    so PostgreSQL stops parsing and planning the statements every intake, delivery and webhook repeats."""
    assert served.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    for _ in range(6):
        with served.cursor() as cursor:
            cursor.execute("SELECT %s::int + 41", [1])
            assert cursor.fetchone()[0] == 42
    with served.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 41'")
        assert cursor.fetchone()[0] == 1
