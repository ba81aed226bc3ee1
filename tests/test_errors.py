"""One error tree (geo/errors.py): every error Dateline raises on purpose is a DatelineError, and
each is defined there, beside the messages the CLI and the dashboard show."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import geo
from geo import errors

GEO = Path(geo.__file__).resolve().parent


def test_every_error_class_in_geo_is_defined_in_errors_py() -> None:
    elsewhere = []
    for path in sorted(GEO.rglob("*.py")):
        if path.name == "errors.py" and path.parent == GEO:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and (
                node.name.endswith(("Error", "Unavailable"))
                or any(isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception")) for base in node.bases)
            ):
                elsewhere.append(f"{path.relative_to(GEO)}:{node.lineno} {node.name}")
    assert elsewhere == []


def test_every_error_derives_from_the_one_root() -> None:
    classes = [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, Exception)]
    assert len(classes) > 15
    assert all(issubclass(cls, errors.DatelineError) for cls in classes)
    assert issubclass(errors.DocumentError, ValueError) and issubclass(errors.GazetteerError, RuntimeError)


def test_every_message_table_is_a_table_of_templates() -> None:
    tables = {name: value for name, value in vars(errors).items() if name.endswith("_MESSAGES")}
    assert {
        "GEOCODER_MESSAGES",
        "ROUTER_MESSAGES",
        "FETCH_MESSAGES",
        "CLI_MESSAGES",
        "DASHBOARD_MESSAGES",
        "STORY_MESSAGES",
    } <= set(tables)
    for name, table in tables.items():
        for key, template in table.items():
            assert isinstance(template, str) and template.strip() == template and "\n" not in template, (name, key)
            list(string.Formatter().parse(template))  # a well-formed template
