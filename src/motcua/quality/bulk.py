"""Bulk writes of tuples (the generator's and the rebuild's hot path)."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connection, models, transaction

if TYPE_CHECKING:
    # What the database adapters take (the stubs' name for it).
    from django.db.backends.utils import _SQLType as SQLValue

    Row = tuple[SQLValue, ...]  # one row's column values, in the order of its columns


def insert_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: "Sequence[tuple[SQLValue, ...]]"
) -> None:
    """Write tuples of column values: COPY on PostgreSQL, else multi-row INSERTs of the values each field
    converts for the database (JSON columns arrive as JSON text, as `JSONField` would send them)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [_field(model, c) for c in columns]
    names = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            return
        convert = [
            None
            if f.get_internal_type() == "JSONField"
            else (lambda v, f=f: f.get_db_prep_save(v, connection))
            for f in fields
        ]
        limit = getattr(connection.features, "max_query_params", None) or 30_000
        size = max(1, min(1000, limit // len(columns)))
        per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [v if c is None else c(v) for row in chunk for c, v in zip(convert, row, strict=True)]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([per_row] * len(chunk))}", params
            )


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """The field of a column (`insert_rows` writes columns, never reverse relations)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _column(field: "models.Field[Any, Any]") -> str:
    assert field.column is not None  # set for every field of a model class
    return field.column


_may_skip_checks = True


@contextmanager
def unchecked_foreign_keys() -> Iterator[None]:
    """Inside a transaction on PostgreSQL, when the role may (a superuser: the demo / bench cluster), skip
    the foreign-key triggers of the rows written in the block: the bulk writers' rows refer to existing rows
    by construction, and the deferred checks of millions of rows at commit are about half of the write
    time. Otherwise (another database, a role that may not) the checks run as usual."""
    global _may_skip_checks
    skipped = False
    if connection.vendor == "postgresql" and _may_skip_checks:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            skipped = True
        except DatabaseError:
            _may_skip_checks = False
    yield  # on an error the transaction rolls back, and the setting with it
    if skipped:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
