"""The package's layout: stage folders whose imports point only down the pipeline, no
import circle (imports under ``TYPE_CHECKING`` and inside functions count too), and no
module longer than a reader can hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

import newsgen

PACKAGE = Path(newsgen.__file__).parent
# Lowest first: a module may import from its own layer and the layers before it.
LAYERS = (
    "errors",
    "sources",
    "model",
    "plan",
    "render",
    "output",
    "buildinfo",
    "plugins",
    "build",
    "serve",
    "commands",
    "importers",
    "cli",
    "__main__",
)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in the file."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif node.module and node.module.startswith("newsgen"):
                base = []
            else:
                continue
            target = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            target = target.removeprefix("newsgen").strip(".")
            for alias in node.names:
                submodule = f"{target}.{alias.name}".strip(".")
                found.add(submodule if submodule in modules else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("newsgen."):
                    found.add(alias.name.removeprefix("newsgen."))
    return {module for module in found if module}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) - {name} for name, path in modules.items()}


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_every_module_sits_in_a_stage_folder_or_is_one_of_the_top_modules():
    misplaced = [m for m in _modules() if m and m.split(".")[0] not in LAYERS]
    assert misplaced == []


def test_imports_point_only_down_the_pipeline():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module
        for target in targets
        if target and _layer(target) > _layer(module)
    )
    assert upward == []


def test_no_import_circle():
    graph = _graph()
    circles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target in graph and target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_module_is_longer_than_the_limit():
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
