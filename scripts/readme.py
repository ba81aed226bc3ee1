"""The generated parts of README.md and docs/*.md, so that what they say of the code stays true.

Why: a hand-copied `--help` or module list goes stale at the next change, and nobody notices. The
Markdown files hold cog blocks (https://cog.readthedocs.io) that call the functions here; the text
between a block and its ``[[[end]]]`` marker is their output. ``tests/test_readme.py`` runs
``cog --check`` and fails when a file is stale. To regenerate, from the repository's root:

    .venv/bin/cog -r README.md docs/*.md

- :func:`cli_help`: the real ``--help`` of ``python -m geo`` and its subcommands (argparse's output at
  a fixed width of 100 columns, so it does not depend on the terminal).
- :func:`house`: the layout of the repository, one line per room, as ``../shared/DESIGN.md`` draws it.
- :func:`module_table`: every module under ``geo/``, grouped by room, with the first sentence of its
  own docstring.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT.parent / "shared" / "DESIGN.md"
HELP_COLUMNS = 100

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cli_help(*commands: str) -> str:
    """``python -m geo --help`` (no command given) or each named subcommand's ``--help``, in one
    Markdown ``text`` block."""
    os.environ["COLUMNS"] = str(HELP_COLUMNS)  # argparse wraps at the terminal's width: fix it
    from geo.__main__ import build_parser

    parser = build_parser()
    subcommands = subcommand_parsers(parser)
    parts = []
    for command in commands or (None,):
        shown = parser if command is None else subcommands[command]
        parts.append(f"$ python -m geo {command + ' ' if command else ''}--help\n{shown.format_help()}")
    return "```text\n" + "\n".join(parts) + "```\n"


def subcommand_parsers(parser) -> dict:
    """The parsers of ``python -m geo``'s subcommands, by name, in the order ``--help`` lists them."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@dataclass(frozen=True)
class Room:
    """One line of DESIGN.md's layout: a path in the repository (``geo/read/``, ``dashboard.py``) and
    what it holds."""

    path: str
    description: str
    line: str  # the line as DESIGN.md writes it, continuation lines included


def design_layout(design: Path = DESIGN) -> list[Room]:
    """The rooms of the indented block under DESIGN.md's "## Layout" heading, in its order.

    An entry starts at the block's first or second indentation level (a path, two or more spaces, its
    description); a line indented deeper continues the entry above; a path under ``geo/`` is written
    relative to it."""
    lines = design.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## Layout"))
    block, started = [], False
    for line in lines[start + 1 :]:
        if line.startswith("    "):
            started = True
            block.append(line)
        elif started and line.strip():
            break
        elif started:
            block.append(line)
    base = min(len(line) - len(line.lstrip()) for line in block if line.strip())
    rooms: list[list[str]] = []  # [path, description, text]
    parent = ""
    for line in block:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent > base + 4:  # a description's second line
            rooms[-1][1] += " " + line.strip()
            rooms[-1][2] += "\n" + line
            continue
        name, *rest = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        description = rest[0] if rest else ""
        if indent == base:
            parent = name if name.endswith("/") and not description else ""
            path = name
        else:
            path = parent + name
        rooms.append([path, description.strip(), line])
    return [Room(path, description, text) for path, description, text in rooms]


def house() -> str:
    """The repository in one picture: DESIGN.md's layout block, one line per room, in a ``text`` block."""
    block = "\n".join(room.line for room in design_layout())
    indent = min(len(line) - len(line.lstrip()) for line in block.splitlines())
    return "```text\n" + "\n".join(line[indent:] for line in block.splitlines()) + "\n```\n"


def first_sentence(docstring: str | None) -> str:
    """The first sentence of a docstring, its reST roles and literals turned into Markdown code."""
    if not docstring:
        return "(no docstring)"
    paragraph = " ".join(docstring.strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z`*(\"'])", paragraph, maxsplit=1)[0]
    sentence = re.sub(r":\w+:`~[\w.]*?(\w+)`", r"`\1`", sentence)  # :class:`~geo.model.Story` -> `Story`
    sentence = re.sub(r":\w+:`([^`]+)`", r"`\1`", sentence)
    sentence = sentence.replace("``", "`")
    return sentence.replace("|", "\\|")


def module_table() -> str:
    """Every module under geo/ (and dashboard.py), grouped by room in DESIGN.md's order, with the first
    sentence of its docstring: a Markdown table per room."""
    rooms = {room.path: room.description for room in design_layout()}
    packages = sorted({path.parent for path in (ROOT / "geo").rglob("*.py")} - {ROOT / "geo"})
    order = [path for path in rooms if path.startswith("geo/") and path.endswith("/") and path != "geo/"]
    order += [name for name in (f"{p.relative_to(ROOT).as_posix()}/" for p in packages) if name not in order]
    listed = [path for path in rooms if path.startswith("geo/") and path.endswith(".py")]
    top = [ROOT / "dashboard.py", *sorted((ROOT / "geo").glob("*.py"), key=lambda path: _position(path, listed))]
    sections = [_table("The top level", "the entry points, the data model, the flow", top)]
    for room in order:
        folder = ROOT / room
        modules = sorted(folder.glob("*.py"), key=lambda path: (path.name != "__init__.py", path.name))
        description = rooms.get(room) or first_sentence(_docstring(folder / "__init__.py"))
        sections.append(_table(f"`{room}`", description, modules))
    return "\n".join(sections)


def _position(path: Path, listed: list[str]) -> tuple[int, str]:
    """Where DESIGN.md lists a file (those it does not list last, by name)."""
    name = path.relative_to(ROOT).as_posix()
    return (listed.index(name) if name in listed else len(listed), path.name)


def _table(title: str, description: str, modules: list[Path]) -> str:
    rows = [f"**{title}**: {description}", "", "| module | what it does |", "|---|---|"]
    for path in modules:
        docstring = _docstring(path)
        if path.name == "__init__.py" and not docstring and not path.read_text(encoding="utf-8").strip():
            continue  # an empty package marker says nothing
        rows.append(f"| `{path.relative_to(ROOT).as_posix()}` | {first_sentence(docstring)} |")
    return "\n".join(rows) + "\n"


def _docstring(path: Path) -> str | None:
    if not path.exists():
        return None
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
