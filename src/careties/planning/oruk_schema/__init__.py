"""Open Referral UK's published schemas, stored here, and validation against them.

The files beside this module are copied unchanged from OpenReferralUK/uk-profile
(version 3.0; see SOURCE.md for the commit): the profile's OpenAPI
(``openapi.json``), the compiled schemas its responses name
(``compiled/service.json``, ``service_list.json``, ``service_at_location.json``,
``service_at_location_list.json``) and the taxonomy schemas (``taxonomy.json``,
``taxonomy_term.json``). They are kept in the repository, not fetched, so that
checking a file or a response needs no network and gives the same answer every
time.

The OpenAPI names each schema by its raw GitHub address; :func:`validator`
registers every stored file under that address, so ``$ref`` inside and between
them (``taxonomy.json`` refers to ``taxonomy_term.json``) resolves locally.
Formats are checked (``uuid``, ``email``, ``uri``, ``date-time``): HSDS 3.0
requires UUIDs for every id, and a format the checker cannot test is reported
by :func:`unchecked_formats`, not passed silently.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = [
    "SCHEMA_BASE",
    "SCHEMAS",
    "openapi",
    "path_schema",
    "problems",
    "unchecked_formats",
    "validator",
]

#: Where the OpenAPI's ``$ref`` addresses point; each stored file sits under it.
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
PROFILE_VERSION = "3.0"

#: Stored schema files, by the name this module uses for them.
SCHEMAS: dict[str, str] = {
    "service": "compiled/service.json",
    "service_list": "compiled/service_list.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}

_FORMATS_USED = ("uuid", "email", "uri", "date-time")


def _read(relative: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(relative).read_text(encoding="utf-8"))


@cache
def openapi() -> dict:
    """The profile's OpenAPI document, as published."""
    return _read("openapi.json")


@cache
def _registry() -> Registry:
    pairs = [
        (SCHEMA_BASE + relative, Resource.from_contents(_read(relative), DRAFT202012))
        for relative in SCHEMAS.values()
    ]
    return Registry().with_resources(pairs)


@cache
def validator(schema: str) -> Draft202012Validator:
    """A validator for one stored schema (a key of :data:`SCHEMAS`, or a full ``$ref`` address)."""
    address = schema if schema.startswith("http") else SCHEMA_BASE + SCHEMAS[schema]
    return Draft202012Validator(
        {"$ref": address},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def unchecked_formats() -> list[str]:
    """Formats the stored schemas use that this installation cannot check (should be empty)."""
    return [f for f in _FORMATS_USED if f not in Draft202012Validator.FORMAT_CHECKER.checkers]


def problems(document: Any, schema: str, path: str = "$") -> list[str]:
    """Every way ``document`` breaks ``schema``, each as ``<JSON path>: <reason>``, in path order."""
    errors = sorted(validator(schema).iter_errors(document), key=lambda e: list(map(str, e.path)))
    out = []
    for error in errors:
        where = path + error.json_path[1:]
        out.append(f"{where}: {error.message}")
    return out


def path_schema(api_path: str) -> dict:
    """The response schema the OpenAPI gives for ``GET api_path`` (e.g. ``/services/{id}``).

    Page responses come back as the OpenAPI writes them (``allOf`` the ``Page``
    component and ``contents`` items by ``$ref``), with ``#/components/...``
    replaced by the component itself so the schema stands alone.
    """
    document = openapi()
    schema = document["paths"][api_path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                target: Any = document
                for part in ref[2:].split("/"):
                    target = target[part]
                return inline(target)
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


def response_problems(document: Any, api_path: str) -> list[str]:
    """Every way ``document`` breaks the OpenAPI's response schema for ``GET api_path``."""
    checker = Draft202012Validator(
        path_schema(api_path),
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [
        f"{api_path} {error.json_path}: {error.message}" for error in checker.iter_errors(document)
    ]
