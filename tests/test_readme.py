"""The README and docs/ say what the code does: generated parts are current, and every subcommand,
option, Story field, batch column, path and link they name exists.

The generated parts (the CLI's ``--help``, the house, the module table) are cog blocks that call
``scripts/readme.py``; everything else is checked here against the code, outside those blocks, so
that an option counts as documented only where the prose explains it.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PAGES = [*DOCS, REPO / "benchmarks" / "README.md"]  # every page whose links and paths are checked
REGENERATE = ".venv/bin/cog -r README.md docs/*.md"
GENERATED = re.compile(r"<!-- \[\[\[cog.*?<!-- \[\[\[end\]\]\] -->", re.DOTALL)
FRONT_PAGE_LINES = 300


def _prose(path: Path) -> str:
    """A Markdown file without its generated blocks."""
    return GENERATED.sub("", path.read_text(encoding="utf-8"))


def _all_prose() -> str:
    return "\n".join(_prose(path) for path in DOCS)


def test_the_generated_parts_are_current():
    assert "[[[cog" in (REPO / "README.md").read_text(encoding="utf-8")
    names = [path.relative_to(REPO).as_posix() for path in DOCS]
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", *names], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, f"stale generated text; run: {REGENERATE}\n{result.stdout}{result.stderr}"


def test_the_front_page_stays_short():
    lines = (REPO / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= FRONT_PAGE_LINES, f"README.md has {lines} lines: move the details into a page of docs/"


def test_every_subcommand_and_option_is_explained():
    from geo.__main__ import build_parser
    from scripts.readme import subcommand_parsers

    prose = _all_prose()
    missing = []
    for name, command in subcommand_parsers(build_parser()).items():
        if f"python -m geo {name}" not in prose:
            missing.append(f"python -m geo {name}")
        for action in command._actions:
            missing += [
                f"{name} {option}"
                for option in action.option_strings
                if option not in ("-h", "--help") and not re.search(rf"(?<![\w-]){option}(?![\w-])", prose)
            ]
            missing += [
                f"{name} {action.dest}={choice}"
                for choice in action.choices or ()
                if not re.search(rf"\b{re.escape(str(choice))}\b", prose)
            ]
    assert not missing, f"not explained in README.md or docs/ (outside the --help blocks): {missing}"


def _schema_fields(schema: dict) -> set[str]:
    fields = set()
    for name, sub in schema.get("properties", {}).items():
        fields |= {name} | _schema_fields(sub)
    if isinstance(schema.get("items"), dict):
        fields |= _schema_fields(schema["items"])
    return fields


def _story_fields(value) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_story_fields(item) for item in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_story_fields(item) for item in value))
    return set()


def test_every_story_field_is_documented():
    from tests.test_model import a_story

    schema = json.loads((SHARED / "contract" / "story.schema.json").read_text(encoding="utf-8"))
    fields = _schema_fields(schema) | _story_fields(a_story().to_dict())
    prose = _all_prose()
    missing = sorted(field for field in fields if f'"{field}"' not in prose and f"`{field}`" not in prose)
    assert not missing, f"Story fields that README.md and docs/ never name: {missing}"


def test_every_batch_table_and_column_is_documented():
    import geo.batch as batch

    page = _prose(REPO / "docs" / "batch.md")
    for name, schema in batch.SCHEMAS.items():
        assert f"`{name}`" in page, name
        for column in schema.names:
            assert f"`{column}`" in page, f"{name}.{column}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, no punctuation but hyphens, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    anchors, seen = set(), {}
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_link_leads_somewhere(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, f"links in {page.name} that lead nowhere: {broken}"


def _module_names(module: str) -> set[str] | None:
    """The names a module of geo/ defines or imports at its top level; None if there is no such module."""
    path = REPO.joinpath(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    if not source.exists():
        return None
    names = set()
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if path.is_dir():
        names |= {child.stem for child in path.iterdir() if child.suffix == ".py" or (child / "__init__.py").exists()}
    return names


def _names_a_real_thing(dotted: str) -> bool:
    """``geo.x.y`` is a module, or a name defined at the top of one (``geo.pipeline.with_places``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        names = _module_names(".".join(parts[:cut]))
        if names is not None:
            return cut == len(parts) or (cut == len(parts) - 1 and parts[-1] in names)
    return False


def _made_by_runs() -> set[str]:
    """Folders the repository ignores because runs make them (.gitignore: "/tests/artifacts/", the
    browser tests' screenshots): a page may name one before any run has made it."""
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return {line.lstrip("/") for line in lines if line.startswith("/") and line.endswith("/")}


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_path_and_module_named_exists(page):
    text = page.read_text(encoding="utf-8")
    missing = []
    for path in sorted(set(re.findall(r"`((?:geo|tests|data|scripts|benchmarks|docs)/[^`\s]*)`", text))):
        pattern = re.sub(r"<\w+>|\.\.\.", "*", path.rstrip("/"))
        if not list(REPO.glob(pattern)) and path not in _made_by_runs():
            missing.append(path)
    for dotted in sorted(set(re.findall(r"(?:`|python -m )(geo(?:\.\w+)+)", text))):
        if not _names_a_real_thing(dotted):
            missing.append(dotted)
    assert not missing, f"{page.name} names what does not exist: {missing}"
