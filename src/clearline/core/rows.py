"""Plain INSERTs and SELECTs for the rows every intake writes or reads, without the ORM's per-call compile.

``Model.save(force_insert=True)`` and ``bulk_create`` compile a new INSERT for each call (quoting, field
lists, placeholders, returning columns): at every intake that was a third of the write's cost. Here the
statement text is built once per model and database, and each row costs only its fields' own conversions
(``pre_save`` then ``get_db_prep_save``, as Django does them, so defaults, ``auto_now`` and JSON encoding
behave the same). No ``pre_save``/``post_save`` signals are sent: Clearline has no receivers for them, and
a test fails if one is added for a model written this way (``cases/tests/test_plain_rows.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import AutoField, BooleanField, CharField, Field, ForeignKey, Model, TextField

M = TypeVar("M", bound=Model)

# A field, and the value types it stores exactly as the instance holds them (see _stored_as_held).
_Column = tuple["Field[Any, Any]", tuple[type, ...]]
_STATEMENTS: dict[tuple[type[Model], str, int, bool], tuple[str, list[_Column]]] = {}
_AS_HELD = (
    (CharField, (str, type(None))),
    (TextField, (str, type(None))),
    (BooleanField, (bool, type(None))),
)


def _stored_as_held(field: Field[Any, Any]) -> tuple[type, ...]:
    """The value types whose conversions (``pre_save``, ``get_db_prep_save``) return them unchanged for this
    field: text for text fields, a bool for a boolean, None for either and for a foreign key. Decided by the
    field's class and only where it keeps Django's own methods, so a custom field is always converted."""
    kind = type(field)
    if kind.pre_save is not Field.pre_save:
        return ()
    if isinstance(field, ForeignKey):  # ForeignKey.get_db_prep_save stores None as None
        return (type(None),) if kind.get_db_prep_save is ForeignKey.get_db_prep_save else ()
    if (
        kind.get_db_prep_save is not Field.get_db_prep_save
        or kind.get_db_prep_value is not Field.get_db_prep_value
    ):
        return ()
    for base, types in _AS_HELD:
        if isinstance(field, base) and kind.get_prep_value is base.get_prep_value:
            return types
    return ()


def _statement(
    model: type[Model], alias: str, rows: int, *, skip_conflicts: bool = False
) -> tuple[str, list[_Column]]:
    key = (model, alias, rows, skip_conflicts)
    found = _STATEMENTS.get(key)
    if found is None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        meta = model._meta
        fields = [
            field
            for field in meta.local_concrete_fields
            if not ((field.primary_key and isinstance(field, AutoField)) or field.generated)
        ]
        # Names come from the model's metadata, quoted by the backend; every value is a parameter.
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        columns = ", ".join(quote(field.column) for field in fields)
        values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * rows)
        on_conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
        sql = f"INSERT INTO {table} ({columns}) VALUES {values}{on_conflict} RETURNING {pk}"  # noqa: S608
        found = _STATEMENTS[key] = (sql, [(field, _stored_as_held(field)) for field in fields])
    return found


def insert_rows(objs: Sequence[Model]) -> None:
    """Insert unsaved instances of one model (an auto-increment key) in one statement; sets their keys."""
    if objs:
        _insert(objs, skip_conflicts=False)


def insert_unless_conflict(obj: Model) -> bool:
    """Insert one unsaved row unless it would break a unique constraint (then False, nothing written).

    No savepoint is needed around it, unlike ``create()`` in a transaction that catches ``IntegrityError``.
    """
    return _insert([obj], skip_conflicts=True) == 1


def _insert(objs: Sequence[Model], *, skip_conflicts: bool) -> int:
    model = type(objs[0])
    if not isinstance(model._meta.pk, AutoField) or any(obj.pk is not None for obj in objs):
        raise ValueError("insert_rows takes unsaved rows whose key the database assigns")
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, columns = _statement(model, alias, len(objs), skip_conflicts=skip_conflicts)
    params: list[Any] = []
    for obj in objs:
        # As save() does: a parent saved after this row was built (the case of its messages) lends its key.
        obj._prepare_related_fields_for_save(operation_name="insert_rows")  # type: ignore[attr-defined]
        for field, as_held in columns:
            value = getattr(obj, field.attname)
            if type(value) not in as_held:  # most values are text: their conversions would return them as is
                value = field.get_db_prep_save(field.pre_save(obj, True), connection)
            params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    if not keys:  # skip_conflicts, and the row was not written
        return 0
    pk_name = model._meta.pk.attname
    for obj, (key,) in zip(objs, keys, strict=True):
        setattr(obj, pk_name, key)
        obj._state.adding = False
        obj._state.db = alias
    return len(keys)


_CONVERTERS: dict[tuple[type[Model], str], list[tuple[Field[Any, Any], list[Any]]]] = {}


def _converters(model: type[Model], alias: str) -> list[tuple[Field[Any, Any], list[Any]]]:
    """Per concrete field, the backend's and the field's converters (what the ORM's compiler applies)."""
    key = (model, alias)
    found = _CONVERTERS.get(key)
    if found is None:
        connection = connections[alias]
        found = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found.append(
                (field, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            )
        _CONVERTERS[key] = found
    return found


def fetch_rows(model: type[M], sql: str, params: Sequence[Any]) -> list[M]:
    """Instances from a plain ``SELECT *`` on the model's table, converted as the ORM converts them.

    For lookups asked at every request: under the profiler ``Model.objects.raw()`` took 0.4 ms for one row
    (query included), this 0.2 ms.
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        columns = [column[0] for column in cursor.description or ()]
    found = []
    converters = _converters(model, alias)
    names = [field.attname for field, _ in converters]
    for row in rows:
        by_column = dict(zip(columns, row, strict=True))
        values = []
        for field, field_converters in converters:
            value = by_column[field.column]
            for converter in field_converters:
                value = converter(value, field, connection)
            values.append(value)
        found.append(model.from_db(alias, names, values))
    return found


def row_by_key(model: type[M], key: int) -> M:
    """``model.objects.get(pk=key)`` through ``fetch_rows``: a plain SELECT by primary key, for rows read
    again at every step of a pipeline (each inbound email when it is filed). Raises ``DoesNotExist``."""
    meta = model._meta
    quote = connections[router.db_for_read(model)].ops.quote_name
    # Names from the model's metadata, quoted by the backend; the key is a parameter.
    sql = f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    found = fetch_rows(model, sql, [key])
    if not found:
        raise model.DoesNotExist(f"No {meta.object_name} with key {key}.")  # type: ignore[attr-defined]
    return found[0]
