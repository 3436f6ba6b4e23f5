"""documents owns its tables (docs/architecture.md): no module outside `motcua.documents` writes an
e-result, an e-data store row or any other row of documents itself; other apps call `documents.services`
(#19: the ministries' connector wrote the `ElectronicResult` and the store's row of a judicial record).

Read from the source with `ast`: a manager's write (`create`, `update`, `delete`...) reached from a model of
documents (imported by name, through its `models` module, or fetched with `apps.get_model("documents", ...)`),
a model of documents built by hand, and an import of `documents.datastore` (the e-data store's writes)."""

import ast
from pathlib import Path

from django.apps import apps

import motcua

SOURCE = Path(motcua.__file__).resolve().parent
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}
# The demo seeds the registers documents reads (document types and their mapping onto the catalogue, the
# reference people and businesses behind the local national-database connectors). Its e-results go through
# `issue_electronic_result`.
SEEDED_BY_THE_DEMO = {
    "DocumentType",
    "ComponentDocumentType",
    "ProcedureResultType",
    "ReferencePerson",
    "ReferenceBusiness",
}


def documents_models() -> set[str]:
    return {model.__name__ for model in apps.get_app_config("documents").get_models()}


def _names(tree: ast.AST, models: set[str]) -> tuple[dict[str, str], set[str]]:
    """Local names of documents' models (alias → model) and of its `models` module, from the imports and
    from `apps.get_model("documents", ...)`."""
    classes: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "motcua.documents.models":
            classes |= {a.asname or a.name: a.name for a in node.names if a.name in models}
        elif isinstance(node, ast.ImportFrom) and node.module == "motcua.documents":
            modules |= {a.asname or a.name for a in node.names if a.name == "models"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "motcua.documents.models" and a.asname}
        elif isinstance(node, ast.Assign) and (fetched := _fetched_model(node.value)) in models:
            classes |= {target.id: str(fetched) for target in node.targets if isinstance(target, ast.Name)}
    return classes, modules


def _fetched_model(node: ast.expr) -> str | None:
    """`X` of `apps.get_model("documents", "X")`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    values = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
    if node.func.attr == "get_model" and len(values) == 2 and values[0] == "documents":
        return str(values[1])
    return None


def _model_named(node: ast.expr, classes: dict[str, str], modules: set[str], models: set[str]) -> str | None:
    if isinstance(node, ast.Name):
        return classes.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr in models
    ):
        return node.attr
    return None


def _manager_of(node: ast.expr) -> ast.expr | None:
    """`X` of `X.objects.filter(...).update` (the chain under a write), else None."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return node.value
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def writes_outside_documents(root: Path = SOURCE) -> list[str]:
    """Each write of documents' rows by a module of another app, as `path:line model.how`."""
    models = documents_models()
    found: list[tuple[str, int, str]] = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root.parent)
        if where.parts[:2] == ("motcua", "documents"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        classes, modules = _names(tree, models)
        allowed = SEEDED_BY_THE_DEMO if where.parts[:2] == ("motcua", "demo") else set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.module == "motcua.documents.datastore"
                or (node.module == "motcua.documents" and any(a.name == "datastore" for a in node.names))
            ):
                found.append((str(where), node.lineno, "imports documents.datastore"))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            model = _model_named(func, classes, modules, models)  # built by hand: Model(...)
            how = "built"
            if model is None and isinstance(func, ast.Attribute) and func.attr in WRITES:
                manager = _manager_of(func.value)
                model = _model_named(manager, classes, modules, models) if manager is not None else None
                how = func.attr
            if model is not None and model not in allowed:
                found.append((str(where), node.lineno, f"{model}.{how}"))
    return [f"{where}:{line} {what}" for where, line, what in sorted(found)]


def test_no_app_but_documents_writes_its_tables():
    assert writes_outside_documents() == []


def test_the_check_sees_each_way_of_writing(tmp_path):
    package = tmp_path / "motcua"
    (package / "interop").mkdir(parents=True)
    (package / "documents").mkdir()
    (package / "demo").mkdir()
    (package / "interop" / "results.py").write_text(
        "from motcua.documents import datastore, models as m\n"
        "from motcua.documents.models import ElectronicResult as Result, DataStoreItem\n"
        "def f(apps):\n"
        "    Result.objects.create(dossier=1)\n"
        "    DataStoreItem.objects.filter(pk=1).update(file_name='x')\n"
        "    m.StoredFile.objects.get_or_create(sha256='x')\n"
        "    DataStoreItem(pk=1).save()\n"
        "    fetched = apps.get_model('documents', 'ElectronicResult')\n"
        "    fetched.objects.filter(pk=1).delete()\n"
        "    Result.objects.filter(pk=1).exists(), fetched.objects.count()\n"  # reads: allowed
    )
    (package / "documents" / "results.py").write_text(
        "from motcua.documents.models import ElectronicResult\nElectronicResult.objects.create()\n"
    )
    (package / "demo" / "documents.py").write_text(
        "from motcua.documents.models import DocumentType, DataStoreItem\n"
        "DocumentType.objects.update_or_create(code='x')\n"
        "DataStoreItem.objects.create()\n"
    )
    assert writes_outside_documents(package) == [
        "motcua/demo/documents.py:3 DataStoreItem.create",
        "motcua/interop/results.py:1 imports documents.datastore",
        "motcua/interop/results.py:4 ElectronicResult.create",
        "motcua/interop/results.py:5 DataStoreItem.update",
        "motcua/interop/results.py:6 StoredFile.get_or_create",
        "motcua/interop/results.py:7 DataStoreItem.built",
        "motcua/interop/results.py:9 ElectronicResult.delete",
    ]
