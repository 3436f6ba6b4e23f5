"""Apps depend one way (docs/architecture.md, issue #14 item 1):

    core ← (catalog, outbox) ← dossiers ← (documents, eforms, payments, interop, quality, queueing) ← intake
         ← (portal, backoffice, api) ← demo

Read from the source with `ast`, so every import counts: at module level, inside functions (lazy imports),
under `TYPE_CHECKING`, relative or absolute.
"""

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import motcua

SOURCE = Path(motcua.__file__).resolve().parent

# The lower an app's layer, the fewer apps it may import: only apps of a strictly lower layer.
LAYER = {
    "core": 0,
    "catalog": 1,
    "outbox": 1,  # the transactional outbox: every writer above enqueues its side effects
    "dossiers": 2,
    "documents": 3,
    "eforms": 3,  # declaration forms as data: their PDFs through documents (#16)
    "payments": 3,
    "interop": 3,
    "quality": 3,
    "queueing": 3,
    "directives": 3,  # reform directives and the units' reports: reminders through interop's senders (#20)
    "intake": 4,  # a dossier with its files and reused items: the acts of dossiers with documents
    "standing": 4,  # PAR Index, SIPAS, PAPI: reads quality's figures beside the published ones (#20)
    "portal": 5,
    "backoffice": 5,
    "api": 5,
    "demo": 6,
}
MID = {app for app, layer in LAYER.items() if layer == 3}
TOP = {app for app, layer in LAYER.items() if layer == 5}

# Today's imports against the layers, each removed by #14: delete its line when its import goes, so that
# nothing brings it back.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}

Edges = dict[tuple[str, str], list[str]]


def _module_parts(path: Path, root: Path) -> tuple[list[str], bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def _imported_modules(node: ast.AST, package: list[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package[: len(package) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        # `from motcua import demo` and `from motcua.demo import org` both name the app
        return [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return []


def app_of(path: Path, root: Path) -> str | None:
    """The app a module belongs to; None for the project's own modules (settings, urls, cli, wsgi...)."""
    parts, is_package = _module_parts(path, root)
    if len(parts) > 2 or (len(parts) == 2 and is_package):
        return parts[1]
    return None


def import_graph(root: Path | None = None) -> Edges:
    """(importing app, imported app) → the files where it happens; None stands for the project modules."""
    root = root or SOURCE
    edges: Edges = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        parts, is_package = _module_parts(path, root)
        package = parts if is_package else parts[:-1]
        source = app_of(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for module in _imported_modules(node, package):
                names = module.split(".")
                if names[0] == "motcua" and len(names) > 1 and names[1] in LAYER and names[1] != source:
                    where = str(path.relative_to(root.parent))
                    if where not in edges[(source, names[1])]:
                        edges[(source, names[1])].append(where)
    return edges


def demo_named_in_strings(root: Path | None = None) -> list[str]:
    """Production modules naming a module of `motcua.demo` in a string (settings' dotted paths,
    `import_string`, `import_module`); settings may only install the app itself."""
    root = root or SOURCE
    found = []
    for path in sorted(root.rglob("*.py")):
        if app_of(path, root) == "demo":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("motcua.demo.")
            ):
                found.append(f"{path.relative_to(root.parent)}: {node.value}")
    return found


def layer_violations(edges: Edges) -> list[str]:
    return sorted(
        f"{source} → {target} ({', '.join(files)})"
        for (source, target), files in edges.items()
        if source is not None
        and (source, target) not in KNOWN_EXCEPTIONS
        and LAYER[target] >= LAYER[source]
        and not (source in TOP and target in TOP)  # the three front doors may share
        and not (source in MID and target in MID)  # beside each other, unless it makes a cycle (below)
    )


def cycles(edges: Edges) -> list[list[str]]:
    """Each cycle between apps, outside the known exceptions, as the path that closes it."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        if source is not None and (source, target) not in KNOWN_EXCEPTIONS:
            graph[source].add(target)
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        seen = set()
        while stack:
            app, path = stack.pop()
            for target in sorted(graph[app]):
                if target == start:
                    found.append([*path, start])
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    return found


@cache
def source_graph() -> dict[tuple[str, str], list[str]]:
    """The graph of the project's own source, parsed once for all the tests here (a copy they only read)."""
    return dict(import_graph())


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in SOURCE.glob("*/apps.py")}
    assert apps == set(LAYER)


def test_no_production_app_imports_the_demo():
    importers = {
        f"{source or 'project'}: {', '.join(files)}"
        for (source, target), files in source_graph().items()
        if target == "demo"
    }
    assert not importers
    assert not demo_named_in_strings()


def test_core_imports_no_other_app():
    assert [
        target
        for (source, target) in source_graph()
        if source == "core" and ("core", target) not in KNOWN_EXCEPTIONS
    ] == []


def test_catalog_imports_only_core():
    targets = {target for (source, target) in source_graph() if source == "catalog"}
    assert targets <= {"core"}


def test_dossiers_imports_only_core_catalog_and_outbox():
    targets = {
        target
        for (source, target) in source_graph()
        if source == "dossiers" and ("dossiers", target) not in KNOWN_EXCEPTIONS
    }
    assert targets <= {"core", "catalog", "outbox"}


def test_the_middle_layer_imports_no_front_door():
    assert [
        f"{source} → {target}"
        for (source, target) in source_graph()
        if source in MID and target in TOP and (source, target) not in KNOWN_EXCEPTIONS
    ] == []


def test_imports_point_down_the_layers():
    assert layer_violations(source_graph()) == []


def test_no_cycle_between_apps():
    assert cycles(source_graph()) == []


def test_the_known_exceptions_still_exist():
    """An exception whose import is gone is deleted here, so the allow-list only shrinks."""
    edges = source_graph()
    assert [pair for pair in KNOWN_EXCEPTIONS if pair not in edges] == []


def test_the_graph_sees_lazy_and_relative_imports(tmp_path):
    package = tmp_path / "motcua"
    (package / "core").mkdir(parents=True)
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "lazy.py").write_text("def f():\n    from motcua.demo import org\n")
    (package / "core" / "relative.py").write_text("from ..catalog import models\n")
    (package / "settings.py").write_text('INSTALLED_APPS = ["motcua.demo"]\nX = "motcua.demo.org.f"\n')
    edges = import_graph(package)
    assert edges[("core", "demo")] == ["motcua/core/lazy.py"]
    assert edges[("core", "catalog")] == ["motcua/core/relative.py"]
    assert demo_named_in_strings(package) == ["motcua/settings.py: motcua.demo.org.f"]
    assert cycles({("core", "catalog"): [], ("catalog", "core"): []}) == [
        ["catalog", "core", "catalog"],
        ["core", "catalog", "core"],
    ]
