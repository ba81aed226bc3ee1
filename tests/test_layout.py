"""The house agrees with its plan: DESIGN.md's layout and the repository name the same rooms, geo/ has
no import cycle, every module says what it is for, and pyproject.toml agrees with the pins and the
version.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from scripts.readme import DESIGN, design_layout
from tests.conftest import REPO

GEO = REPO / "geo"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_room_of_the_design_exists():
    missing = []
    for room in design_layout(DESIGN):
        pattern = re.sub(r"<\w+>", "*", room.path.rstrip("/"))
        found = list(REPO.glob(pattern))
        if not found or (room.path.endswith("/") and not any(path.is_dir() for path in found)):
            missing.append(room.path)
    assert not missing, f"DESIGN.md's layout names what the repository lacks: {missing}"


def test_every_package_and_top_level_module_of_geo_is_in_the_design():
    rooms = {room.path for room in design_layout(DESIGN)}
    packages = {f"{path.parent.relative_to(REPO).as_posix()}/" for path in GEO.rglob("*.py")}
    top_level = {path.relative_to(REPO).as_posix() for path in GEO.glob("*.py")}
    missing = sorted((packages | top_level) - rooms)
    assert not missing, f"not in DESIGN.md's layout: {missing}"


def test_every_module_says_what_it_is_for():
    silent = [
        path.relative_to(REPO).as_posix()
        for path in sorted(GEO.rglob("*.py"))
        if path.read_text(encoding="utf-8").strip()
        and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not silent, f"modules without a docstring (the module table in docs/ shows its first sentence): {silent}"


def _under_type_checking(tree: ast.Module) -> set[ast.AST]:
    """The import statements that run only for a type checker (``if TYPE_CHECKING:``)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {child for statement in node.body for child in ast.walk(statement)}
    return skipped


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The geo modules that a module imports, anywhere in it (inside functions too, not for a type
    checker only). ``from geo.x import y`` imports geo.x.y when that is a module, else geo.x."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _under_type_checking(tree)
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {name for name in found if name in modules} - {_module_name(path)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component of more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, component) for component in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest way from the component's first module back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & component):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return sorted(component)


def test_geo_has_no_import_cycle():
    files = {_module_name(path): path for path in GEO.rglob("*.py")}
    graph = {module: _imports(path, set(files)) for module, path in files.items()}
    cycles = _cycles(graph)
    assert not cycles, "import cycles in geo/:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _pins(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_pyproject_agrees_with_the_pins_and_the_version():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    split = requirements.index("# tests")
    assert project["dependencies"] == _pins(requirements[:split])
    assert project["optional-dependencies"]["tests"] == _pins(requirements[split:])
    init = ast.parse((GEO / "__init__.py").read_text(encoding="utf-8"))
    version = next(
        node.value.value
        for node in init.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
    )
    assert project["version"] == version
