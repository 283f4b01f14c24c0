"""Plain INSERTs, SELECTs and UPDATEs for the rows every intake, email and delivery writes or reads, without
the ORM's per-call compile.

``Model.save(force_insert=True)`` and ``bulk_create`` compile a new INSERT for each call (quoting, field
lists, placeholders, returning columns): at every intake that was a third of the write's cost. Here the
statement text is built once per model and database, and each row costs only its fields' own conversions
(``pre_save`` then ``get_db_prep_save``, as Django does them, so defaults, ``auto_now`` and JSON encoding
behave the same). No ``pre_save``/``post_save`` signals are sent: Clearline has no receivers for them, and
a test fails if one is added for a model written this way (``cases/tests/test_plain_rows.py``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
        fields = _inserted_fields(model)
        # Names come from the model's metadata, quoted by the backend; every value is a parameter.
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        columns = ", ".join(quote(field.column) for field in fields)
        values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * rows)
        on_conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
        sql = f"INSERT INTO {table} ({columns}) VALUES {values}{on_conflict} RETURNING {pk}"  # noqa: S608
        found = _STATEMENTS[key] = (sql, [(field, _stored_as_held(field)) for field in fields])
    return found


def _inserted_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns an INSERT gives: every stored field but an auto-increment key and generated ones."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if not ((field.primary_key and isinstance(field, AutoField)) or field.generated)
    ]


def _stored_value(obj: Model, column: _Column, connection: Any) -> Any:
    """A field's value as ``save()`` would send it; most values are text, which conversions leave as is."""
    field, as_held = column
    value = getattr(obj, field.attname)
    return value if type(value) in as_held else field.get_db_prep_save(field.pre_save(obj, True), connection)


def _mark_saved(obj: Model, key: Any, alias: str) -> None:
    setattr(obj, obj._meta.pk.attname, key)
    obj._state.adding = False
    obj._state.db = alias


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
        params += [_stored_value(obj, column, connection) for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    if not keys:  # skip_conflicts, and the row was not written
        return 0
    for obj, (key,) in zip(objs, keys, strict=True):
        _mark_saved(obj, key, alias)
    return len(keys)


@dataclass(frozen=True)
class GuardedUpdate:
    """An existing row that a chain changes as it is written (a stored email taking the case it opened).

    The chain is written only while the row matches ``only_if``, and the row then takes ``values``, where a
    row of the chain stands for its key. Two workers filing the same email: the second writes nothing.
    """

    model: type[Model]
    key: Any
    only_if: Mapping[str, Any]
    values: Mapping[str, Any]


class GuardFailed(Exception):
    """The guarded row no longer matched: on PostgreSQL nothing was written; elsewhere the rows written in
    the caller's transaction must be rolled back with it (an ``atomic()`` block does so)."""

    def __init__(self, then: GuardedUpdate) -> None:
        super().__init__(f"{then.model.__name__} {then.key} no longer matches {dict(then.only_if)}")


def update_guarded(then: GuardedUpdate) -> None:
    """Apply a guarded update on its own, in the caller's transaction; ``GuardFailed`` when the row no longer
    matches (the caller's transaction then rolls back what it wrote before)."""
    if not update_by_key(then.model, then.key, only_if=then.only_if, **then.values):
        raise GuardFailed(then)


def insert_chain(rows: Sequence[Model], *, may_conflict: int = 0, then: GuardedUpdate | None = None) -> int:
    """Insert unsaved rows in order, each only if the one before it was written, and set their keys.

    The first ``may_conflict`` rows are skipped, with every row after them, when they would break a unique
    constraint (a customer created meanwhile, a case reference taken); a later row raises
    ``IntegrityError``. Returns how many rows were written. A foreign key set to an earlier row of the
    chain (the instance) takes that row's key. ``then`` changes an existing row once every row is written,
    and raises ``GuardFailed`` when its guard no longer holds.

    On PostgreSQL the chain is one statement, data-modifying CTEs each selecting from the one before, so
    it is atomic without a transaction: no BEGIN and COMMIT round trips, which with one INSERT per row were
    half of each intake's statements. ``then`` locks its row first (``FOR UPDATE``) and updates it last.
    Elsewhere it is one INSERT per row (per run of rows of one model after the first ``may_conflict``) and
    a guarded UPDATE, inside the caller's transaction.
    """
    if not rows:
        return 0
    alias = router.db_for_write(type(rows[0]))
    if _chains_in_one_statement(connections[alias]):
        return _insert_chain_in_one_statement(rows, alias, may_conflict, then)
    for written, row in enumerate(rows[:may_conflict]):
        if not _insert([row], skip_conflicts=True):
            return written
    for _model, same_model in itertools.groupby(rows[may_conflict:], key=type):
        insert_rows(list(same_model))  # a case's messages in one INSERT
    if then is not None:
        update_guarded(then)
    return len(rows)


def one_statement_chains(model: type[Model]) -> bool:
    """Whether ``insert_chain`` writes rows of ``model`` in one statement (atomic without a transaction)."""
    return _chains_in_one_statement(connections[router.db_for_write(model)])


def _chains_in_one_statement(connection: Any) -> bool:
    # Clearline's PostgreSQL backend (core.postgresql) lends the cursor the statement needs.
    return connection.vendor == "postgresql" and hasattr(connection, "raw_cursor")


# Per row of a chain: the model, and its foreign keys (names) set to an earlier row (its index).
_ChainShape = tuple[tuple[type[Model], tuple[tuple[str, int], ...]], ...]
# A GuardedUpdate: its model, the guard's fields, and the updated fields with the chain row each takes the
# key of (None: a value of its own).
_GuardShape = tuple[type[Model], tuple[str, ...], tuple[tuple[str, int | None], ...]]
# Per row, the parameter source of each column: a field to convert, or the index of an earlier row.
_CHAIN_STATEMENTS: dict[
    tuple[_ChainShape, int, _GuardShape | None, str], tuple[str, list[list[_Column | int]]]
] = {}


def _insert_chain_in_one_statement(
    rows: Sequence[Model], alias: str, may_conflict: int, then: GuardedUpdate | None
) -> int:
    connection = connections[alias]
    shape = tuple((type(row), _links_to_earlier(rows, index)) for index, row in enumerate(rows))
    guard, params, updated_values = _guard_parts(then, rows, connection)
    cache_key = (shape, may_conflict, guard, alias)
    found = _CHAIN_STATEMENTS.get(cache_key)
    if found is None:
        found = _CHAIN_STATEMENTS[cache_key] = _chain_statement(shape, may_conflict, guard, alias)
    sql, sources = found
    for row, row_sources in zip(rows, sources, strict=True):
        # An int is an earlier row's key, taken inside the statement.
        params += [
            _stored_value(row, source, connection) for source in row_sources if not isinstance(source, int)
        ]
    params += updated_values
    # Numbered parameters, sent as written: psycopg converts %s placeholders in Python at every execution of
    # a statement over 50 parameters (this one has about a hundred), a sixth of an intake's CPU.
    with connection.raw_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(sql, params)
        keys: tuple[Any, ...] = cursor.fetchone() or ()
    if then is not None:  # the guard's row, then the chain's, then the guard's again (updated)
        if keys[0] is None:
            raise GuardFailed(then)
        keys = keys[1:-1]
    written = 0
    for row, (_model, links), key in zip(rows, shape, keys, strict=True):
        if key is None:
            break
        _mark_saved(row, key, alias)
        for name, index in links:
            setattr(row, name, rows[index])  # the key and the cached row, as the assignment before had
        written += 1
    return written


def _guard_parts(
    then: GuardedUpdate | None, rows: Sequence[Model], connection: Any
) -> tuple[_GuardShape | None, list[Any], list[Any]]:
    """The guard's shape, its parameters that lead the statement (the key, the guard's values) and those
    that end it (the updated values that are no row of the chain)."""
    if then is None:
        return None, [], []
    values = tuple(
        (name, next((index for index, row in enumerate(rows) if row is value), None))
        for name, value in then.values.items()
    )
    leading = [then.key]
    leading += [
        _prepared(_field(then.model, name), value, connection) for name, value in then.only_if.items()
    ]
    trailing = [
        _prepared(_field(then.model, name), then.values[name], connection)
        for name, row_index in values
        if row_index is None
    ]
    return (then.model, tuple(then.only_if), values), leading, trailing


def _links_to_earlier(rows: Sequence[Model], index: int) -> tuple[tuple[str, int], ...]:
    row = rows[index]
    if row.pk is not None or not isinstance(row._meta.pk, AutoField):
        raise ValueError("insert_chain takes unsaved rows whose key the database assigns")
    links = []
    for field in row._meta.concrete_fields:
        if not (isinstance(field, ForeignKey) and field.is_cached(row)):
            continue
        parent = field.get_cached_value(row)
        earlier = next((j for j, candidate in enumerate(rows[:index]) if candidate is parent), None)
        if earlier is not None and field.target_field.primary_key:
            links.append((field.name, earlier))
        elif parent is not None:  # as save() does: a parent saved after it was set lends its key now
            key = getattr(parent, field.target_field.attname)
            if key is None:
                raise ValueError(
                    f"{field.name} of a chained {type(row).__name__} is an unsaved row outside it"
                )
            setattr(row, field.attname, key)
    return tuple(links)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _chain_statement(
    shape: _ChainShape, may_conflict: int, guard: _GuardShape | None, alias: str
) -> tuple[str, list[list[_Column | int]]]:
    """``WITH r0 AS (INSERT ... VALUES ($1, ...) RETURNING id), r1 AS (INSERT ... SELECT $9, r0.id ... FROM r0
    RETURNING id), ... SELECT (SELECT id FROM r0), (SELECT id FROM r1), ...``. A row skipped on conflict
    returns nothing, so the rows selecting from it insert nothing either. With a guard, ``g AS (SELECT id
    ... FOR UPDATE)`` comes first, r0 selects from it, and ``u AS (UPDATE ... FROM r<last>)`` comes last."""
    quote = connections[alias].ops.quote_name
    parts, sources = [], []
    placeholders = (f"${number}" for number in itertools.count(1))
    if guard is not None:
        model, guarded, _ = guard
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        conditions = [f"{pk} = {next(placeholders)}"]
        conditions += [f"{quote(_field(model, name).column)} = {next(placeholders)}" for name in guarded]
        # Names from the model's metadata, quoted by the backend; every value is a parameter.
        parts.append(f"g AS (SELECT {pk} FROM {table} WHERE {' AND '.join(conditions)} FOR UPDATE)")  # noqa: S608
    for index, (model, links) in enumerate(shape):
        linked = {_field(model, name).attname: earlier for name, earlier in links}
        fields = _inserted_fields(model)
        values: list[str] = []
        row_sources: list[_Column | int] = []
        for field in fields:
            if field.attname in linked:
                earlier = linked[field.attname]
                values.append(_key_of(shape, earlier, quote))
                row_sources.append(earlier)
            else:
                values.append(next(placeholders))
                row_sources.append((field, _stored_as_held(field)))
        if index == 0:
            first = "VALUES ({})" if guard is None else "SELECT {} FROM g"  # the guard's row, when locked
            source = first.format(", ".join(values))
        else:
            source = f"SELECT {', '.join(values)} FROM {_joined(index - 1, linked.values())}"  # noqa: S608
        on_conflict = " ON CONFLICT DO NOTHING" if index < may_conflict else ""
        columns = ", ".join(quote(field.column) for field in fields)
        # Names from the models' metadata, quoted by the backend; every value is a parameter.
        parts.append(
            f"r{index} AS (INSERT INTO {quote(model._meta.db_table)} ({columns}) {source}{on_conflict} "
            f"RETURNING {quote(model._meta.pk.column)})"
        )
        sources.append(row_sources)
    keys = [f"(SELECT {quote(model._meta.pk.column)} FROM r{i})" for i, (model, _) in enumerate(shape)]  # noqa: S608
    if guard is not None:
        model, _, updated = guard
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        assignments = []
        for name, row_index in updated:
            value = next(placeholders) if row_index is None else _key_of(shape, row_index, quote)
            assignments.append(f"{quote(_field(model, name).column)} = {value}")
        linked_rows = [row_index for _, row_index in updated if row_index is not None]
        parts.append(
            f"u AS (UPDATE {table} SET {', '.join(assignments)} FROM {_joined(len(shape) - 1, linked_rows)} "  # noqa: S608
            f"WHERE {table}.{pk} = $1 RETURNING {table}.{pk})"
        )
        keys = [f"(SELECT {pk} FROM g)", *keys, f"(SELECT {pk} FROM u)"]  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {', '.join(keys)}", sources


def _key_of(shape: _ChainShape, index: int, quote: Any) -> str:
    """The key of the chain's row ``index``, inside the statement: ``r2."id"``."""
    return f"r{index}.{quote(shape[index][0]._meta.pk.column)}"


def _joined(last: int, linked: Iterable[int]) -> str:
    """The FROM of a chain step: the row before it (so it is written only if that one was) and the rows
    it takes keys from."""
    return " CROSS JOIN ".join(f"r{j}" for j in sorted({last, *linked}))


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
    fields = [field for field, _ in _converters(model, alias)]
    for row in rows:
        by_column = dict(zip(columns, row, strict=True))
        found.append(_from_values(model, alias, [by_column[field.column] for field in fields]))
    return found


def _from_values(model: type[M], alias: str, values: Sequence[Any]) -> M:
    """An instance from its concrete fields' column values in field order, converted as the ORM does."""
    connection = connections[alias]
    converters = _converters(model, alias)
    converted = []
    for (field, field_converters), value in zip(converters, values, strict=True):
        for converter in field_converters:
            value = converter(value, field, connection)  # noqa: PLW2901
        converted.append(value)
    return model.from_db(alias, [field.attname for field, _ in converters], converted)


_CHAINS: dict[tuple[type[Model], tuple[str, ...], str], tuple[str, list[type[Model]], list[str]]] = {}


def _chain(model: type[Model], path: tuple[str, ...], alias: str) -> tuple[str, list[type[Model]], list[str]]:
    """The SELECT of a row and the rows its required foreign keys lead to (none for ``row_by_key``), each
    table's columns in field order, built once per model, path and database."""
    key = (model, path, alias)
    found = _CHAINS.get(key)
    if found is None:
        quote = connections[alias].ops.quote_name
        models, columns, joins = [model], [], []
        for name in path:
            field = models[-1]._meta.get_field(name)
            if not isinstance(field, ForeignKey) or field.null:
                raise ValueError(f"{models[-1].__name__}.{name} is not a required foreign key")
            parent = field.remote_field.model
            joins.append(
                f" JOIN {quote(parent._meta.db_table)} t{len(models)} ON t{len(models)}."
                f"{quote(field.target_field.column)} = t{len(models) - 1}.{quote(field.column)}"
            )
            models.append(parent)
        for index, each in enumerate(models):
            columns += [f"t{index}.{quote(field.column)}" for field in each._meta.concrete_fields]
        # Names from the models' metadata, quoted by the backend; the key is a parameter.
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0{''.join(joins)} "  # noqa: S608
            f"WHERE t0.{quote(model._meta.pk.column)} = %s"
        )
        found = _CHAINS[key] = (sql, models, list(path))
    return found


def row_and_parents(model: type[M], key: int, path: Sequence[str]) -> M:
    """``row_by_key`` and, in the same SELECT, the rows its required foreign keys lead to along ``path``
    (a message, its case, the case's customer: ``("case", "customer")``), set on it as the ORM's
    ``select_related`` would. One round trip instead of one per row, for every delivery."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, models, names = _chain(model, tuple(path), alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"No {model._meta.object_name} with key {key}.")  # type: ignore[attr-defined]
    instances: list[Model] = []
    start = 0
    for each in models:
        width = len(_converters(each, alias))
        instances.append(_from_values(each, alias, row[start : start + width]))
        start += width
    for child, name, parent in zip(instances, names, instances[1:], strict=False):
        setattr(child, name, parent)
    return instances[0]  # type: ignore[return-value]


_UPDATES: dict[
    tuple[type[Model], tuple[str, ...], tuple[str, ...], str],
    tuple[str, list[Field[Any, Any]], list[Field[Any, Any]]],
] = {}


def update_by_key(
    model: type[Model], key: int, *, only_if: Mapping[str, Any] | None = None, **values: Any
) -> int:
    """``model.objects.filter(pk=key, **only_if).update(**values)`` for plain values and rows, without the
    ORM's per-call compile: the statement is built once per model, fields and database, and each value is
    converted as ``update()`` converts it (a row becomes its key, then ``get_db_prep_save``). ``only_if``
    adds equality conditions (a guard). Returns the number of rows changed (0 or 1)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    conditions = only_if or {}
    names, guards = tuple(values), tuple(conditions)
    found = _UPDATES.get((model, names, guards, alias))
    if found is None:
        quote = connection.ops.quote_name
        by_name = {field.name: field for field in model._meta.concrete_fields}
        fields, guard_fields = [by_name[name] for name in names], [by_name[name] for name in guards]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        where = " AND ".join(f"{quote(field.column)} = %s" for field in [model._meta.pk, *guard_fields])
        # Names from the model's metadata, quoted by the backend; every value is a parameter.
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608
        found = _UPDATES[(model, names, guards, alias)] = (sql, fields, guard_fields)
    sql, fields, guard_fields = found
    params = [_prepared(field, values[field.name], connection) for field in fields]
    params += [key, *(_prepared(field, conditions[field.name], connection) for field in guard_fields)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _prepared(field: Field[Any, Any], value: Any, connection: Any) -> Any:
    if isinstance(value, Model):  # a row for a foreign key: its key, as update() takes it
        value = value.prepare_database_save(field)
    return field.get_db_prep_save(value, connection)


def row_by_key(model: type[M], key: int) -> M:
    """``model.objects.get(pk=key)`` as a plain SELECT built once per model, for rows read again at every
    step of a pipeline (each inbound email when it is filed). Raises ``DoesNotExist``."""
    return row_and_parents(model, key, ())
