"""Finding records by their words, the same way for every kind of record.

On PostgreSQL each searchable table has a ``search_vector`` column that the database
works out from the record's own text whenever a row is written (a stored generated
column, so it is never out of date), with a GIN index: a search reads the index rather
than every row. The embedded SQLite database has no full-text search of this kind: there
every word must appear, anywhere, in one of the record's text fields (``icontains``).
"""

import re

from django.db import connection, migrations
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

#: The text search configuration: English stemming ("reviews" finds "review").
CONFIG = "english"
#: Words in a query beyond these are ignored.
MAX_WORDS = 10
MAX_QUERY_CHARS = 200


def query_words(query: str) -> list[str]:
    words = re.findall(r"\w+", (query or "")[:MAX_QUERY_CHARS])
    return words[:MAX_WORDS]


def matching(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows of ``queryset`` that match every word of ``query``: through the table's
    search vector on PostgreSQL, field by field elsewhere. ``fields`` are the text the
    vector is made of (see ``search_vector_column``)."""
    words = query_words(query)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        pk = queryset.model._meta.pk.column
        # Words joined with spaces: websearch_to_tsquery needs each of them.
        matches = RawSQL(
            f'SELECT "{pk}" FROM "{table}" '
            "WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)",
            (CONFIG, " ".join(words)),
        )
        return queryset.filter(pk__in=matches)
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset


def search_vector_column(table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A migration step that gives ``table`` its stored search vector and GIN index on
    PostgreSQL (and does nothing on SQLite)."""
    text = " || ' ' || ".join(f"coalesce(\"{column}\", '')" for column in columns)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_vector tsvector '
            # strip(): the words without their positions, which only ranking and phrase
            # searches need; a long document's vector is then a fraction of the size,
            # and matching it (when a word is in most rows and PostgreSQL reads them all
            # rather than the index) is that much quicker.
            f"GENERATED ALWAYS AS (strip(to_tsvector('{CONFIG}'::regconfig, {text}))) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX "{table}_search" ON "{table}" USING gin (search_vector)'
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN search_vector')

    return migrations.RunPython(forwards, backwards, elidable=False)
