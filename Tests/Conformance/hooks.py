"""Schemathesis hooks for the conformance run (scripts/conformance).

JSON Schema cannot describe the query language, so a generated `q` or `custom_filter` is
turned into a valid query built from its own characters; every other field, and every value
that is meant to be invalid (missing, blank, of another type), goes to the server as generated.
The grammar itself is fuzzed by the Swift tests (LabelQueryTests' robustness suite). A query
cursor is opaque (only a previous page makes a valid one), so a generated one is dropped.
"""

import re

import schemathesis

OPERATORS = [" AND ", " OR ", " AND NOT ", " OR NOT "]


def valid_query(text: str) -> str:
    words = [word.lower() for word in re.findall(r"[A-Za-z0-9]+", text)][:5] or ["x"]
    query = f"label:{words[0]}"
    for index, word in enumerate(words[1:]):
        query += OPERATORS[(len(text) + index) % len(OPERATORS)] + f"label:{word}"
    return f"NOT ({query})" if len(text) % 3 == 0 else query


def replaced(value):
    # Only texts a query could be: blanks and other types stay as generated.
    return valid_query(value) if isinstance(value, str) and value.strip() else value


def unusable_cursor_dropped(cursor):
    # A cursor of the documented form is one no page made; anything else is meant to be refused.
    return "" if isinstance(cursor, str) and re.fullmatch(r"[A-Za-z0-9_-]{12}", cursor) else cursor


def targets(context, method: str, path: str) -> bool:
    operation = context.operation
    return operation is not None and operation.method.upper() == method and operation.path == path


def with_valid_query(fields, key: str):
    """`fields` with the query text under `key` made valid and a cursor no page made dropped."""
    if isinstance(fields, dict) and key in fields:
        fields[key] = replaced(fields[key])
        if "cursor" in fields:
            fields["cursor"] = unusable_cursor_dropped(fields["cursor"])
    return fields


@schemathesis.hook
def map_query(context, query):
    if targets(context, "GET", "/v1/query"):
        with_valid_query(query, "q")
    if context.operation is not None and context.operation.path.endswith("/contents"):
        with_valid_query(query, "custom_filter")
    return query


@schemathesis.hook
def map_body(context, body):
    if targets(context, "POST", "/v1/query"):
        with_valid_query(body, "q")
    if targets(context, "PATCH", "/v1/asset/labels") and isinstance(body, dict):
        with_valid_query(body.get("filters"), "custom_filter")
    return body


@schemathesis.hook
def filter_failure(context, failure, case, response):
    # Re-parenting a label under itself or its own descendant is refused with 400, as the
    # Labeling API specification chooses; a schema cannot tell such a parent from another.
    if response.status_code == 400 and "would create a cycle" in response.text:
        return False
    # A label's path (its ancestors' names and its own) has a documented limit of 480 bytes;
    # a schema can bound one name, not the names of the parents it is put under.
    if response.status_code == 400 and "the label path" in response.text and "the limit is 480" in response.text:
        return False
    return True
