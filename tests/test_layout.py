"""How the code is laid out, read from the source (ast), not run:

- a test module never imports from another test module (shared helpers live in
  tests/helpers/, fixtures in a conftest.py);
- a migration carries the data it needs and imports no app code (Django's
  field references in schema operations, as ``makemigrations`` writes them,
  excepted);
- the apps' modules import one another without a cycle (imports inside
  functions and methods, which run later, excepted);
- a bench/ script is not named after a module it imports (run as a script,
  bench/ comes first on ``sys.path`` and would shadow it);
- a service (articles/services/) opens its transaction with ``with
  transaction.atomic():``, not the decorator: mutmut 3 does not mutate a
  decorated function, and the mutation check would pass over it.

docs/testing.md explains each rule.
"""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.helpers.repo import REPO

# The project's own top-level packages: everything else is Django, the
# standard library or a third-party package.
FIRST_PARTY = sorted(path.parent.name for path in REPO.glob("*/__init__.py"))
APPS = ["articles", "images", "pagecache", "proofing", "search", "newsroom", "backups"]
TEST_MODULE = re.compile(r"\btests(?:\.\w+)*\.test_\w+")


def module_name(path: Path, root: Path = REPO) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> list[str]:
    """The dotted names an import statement reaches: ``from a.b import c`` gives
    ``a.b.c`` (a module or a name in ``a.b``; callers trim to what exists)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = node.module or ""
    if node.level:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        module = ".".join([*package, module] if module else package)
    return [f"{module}.{alias.name}" for alias in node.names]


def trim(name: str, known: set[str]) -> str | None:
    """The longest prefix of ``name`` that is a module in ``known``."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


# --- test modules ---------------------------------------------------------------


def cross_imports(root: Path) -> list[str]:
    """Where a test module under ``root``/tests imports (or names, in a string)
    a test module."""
    modules = {module_name(path, root): path for path in sorted((root / "tests").rglob("test_*.py"))}
    offences = []
    for name, path in modules.items():
        where = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                offences += [
                    f"{where}:{node.lineno} imports {target}"
                    for target in imported_names(node, name, is_package=False)
                    if trim(target, set(modules))
                ]
            # A dotted path in a string is an import too (a cache BACKEND, a ROOT_URLCONF …).
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                offences += [
                    f"{where}:{node.lineno} names {found}"
                    for found in TEST_MODULE.findall(node.value)
                    if trim(found, set(modules))
                ]
    return offences


def test_no_test_module_imports_from_another_test_module():
    assert len(list((REPO / "tests").rglob("test_*.py"))) > 50  # the reading works
    offences = cross_imports(REPO)
    assert offences == [], "move what is shared into tests/helpers/ (docs/testing.md):\n" + "\n".join(offences)


def test_the_test_module_rule_sees_a_cross_import(tmp_path):
    (tmp_path / "tests" / "news").mkdir(parents=True)
    (tmp_path / "tests" / "news" / "helper.py").write_text("def production(): ...\n")
    (tmp_path / "tests" / "news" / "test_deploy.py").write_text("from .helper import production\n")
    assert cross_imports(tmp_path) == []
    (tmp_path / "tests" / "news" / "test_redis.py").write_text("from .test_deploy import production\n")
    (tmp_path / "tests" / "test_health.py").write_text('BACKEND = "tests.test_health.BrokenCache"\n')
    assert cross_imports(tmp_path) == [
        "tests/news/test_redis.py:1 imports tests.news.test_deploy.production",
        "tests/test_health.py:1 names tests.test_health",
    ]


# --- migrations -----------------------------------------------------------------


def migration_offences(source: str, app: str) -> list[str]:
    """App code a migration of ``app`` uses. A top-level ``import app.module``
    is allowed only when every use of it is inside the ``Migration`` class and
    outside any function: a field reference (a custom field class, a
    ``default`` or ``upload_to`` callable), which Django must name by design."""
    tree = ast.parse(source)
    own = f"{app}.migrations"
    offences, bound = [], {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for target, alias in zip(imported_names(node, f"{own}.this", is_package=False), node.names, strict=True):
            if target.split(".")[0] not in FIRST_PARTY or target == own or target.startswith(own + "."):
                continue
            if node in tree.body and isinstance(node, ast.Import) and alias.asname is None:
                bound[alias.name.split(".")[0]] = (target, node.lineno)
            else:
                offences.append(f"line {node.lineno}: imports {target}")
    in_fields = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Migration":
            in_fields = {id(name) for name in ast.walk(node) if isinstance(name, ast.Name)}
            for function in ast.walk(node):
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    in_fields -= {id(name) for name in ast.walk(function)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in bound and id(node) not in in_fields:
            target, lineno = bound[node.id]
            offences.append(f"line {lineno}: imports {target}, used outside a field definition (line {node.lineno})")
    return offences


def migrations() -> list[Path]:
    return sorted(path for app in APPS for path in (REPO / app).glob("migrations/0*.py"))


def test_migrations_carry_their_data_and_import_no_app_code():
    paths = migrations()
    assert len(paths) >= 15  # the reading works
    offences = {
        str(path.relative_to(REPO)): found
        for path in paths
        if (found := migration_offences(path.read_text(encoding="utf-8"), app=path.relative_to(REPO).parts[0]))
    }
    assert offences == {}, "a migration must keep working when app code changes: freeze what it needs into it"


@pytest.mark.parametrize(
    "source, offends",
    [
        ("from articles.roles import ROLES\n", True),
        ("def load(apps, schema_editor):\n    from proofing import lists\n", True),
        ("import images.models\nPATH = images.models.image_path\n", True),
        ("import images.models\nclass Migration:\n    operations = [F(upload_to=images.models.image_path)]\n", False),
        ("from django.db import migrations\nimport nh3\n", False),
        ("from . import helpers\n", False),  # its own app's migrations package
        ("from .helpers import FROZEN\n", False),
    ],
)
def test_the_migration_rule_sees_app_code(source, offends):
    assert bool(migration_offences(source, app="articles")) is offends


# --- import cycles --------------------------------------------------------------


def load_time_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: at module level and in
    class bodies, ``if``/``try`` blocks included; not in functions or methods,
    nor under ``if TYPE_CHECKING``."""
    found = []

    def visit(nodes):
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(node, field, None) or [])

    visit(tree.body)
    return found


def import_graph(root: Path, packages: list[str]) -> dict[str, set[str]]:
    """Module → the project modules it imports at load time (migrations left out)."""
    paths = {
        module_name(path, root): path
        for package in packages
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.relative_to(root).parts
    }
    graph = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        graph[name] = {
            target
            for node in load_time_imports(ast.parse(path.read_text(encoding="utf-8")))
            for imported in imported_names(node, name, is_package)
            if (target := trim(imported, set(paths))) and target != name
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while (member := stack.pop()) != module:
                on_stack.discard(member)
                component.append(member)
            on_stack.discard(module)
            if component:
                found.append(sorted([module, *component]))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_modules():
    graph = import_graph(REPO, [app for app in APPS if (REPO / app).is_dir()])
    assert graph["articles.models"] >= {"articles.models.articles", "articles.models.series"}  # the reading works
    found = cycles(graph)
    described = [
        " → ".join(c) + "\n    " + "\n    ".join(f"{m} imports {sorted(graph[m] & set(c))}" for m in c) for c in found
    ]
    assert found == [], "import cycles (move the shared part down, or import inside the function):\n" + "\n".join(
        described
    )


def test_the_cycle_check_sees_a_cycle(tmp_path):
    package = tmp_path / "app"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("from .article import Article\n")
    (package / "models" / "article.py").write_text("from app.rules import can_edit\nclass Article: pass\n")
    (package / "rules.py").write_text("def can_edit(article):\n    from app.models import Article\n")
    assert cycles(import_graph(tmp_path, ["app"])) == []  # inside a function: not a cycle
    (package / "rules.py").write_text("from app.models import Article\n")
    assert cycles(import_graph(tmp_path, ["app"])) == [["app.models", "app.models.article", "app.rules"]]


# --- bench scripts ----------------------------------------------------------------


def test_no_bench_script_shadows_a_module():
    scripts = {path.stem for path in (REPO / "bench").glob("*.py")} - {"__init__"}
    taken = set(FIRST_PARTY) | set(sys.stdlib_module_names) | set(packages_distributions())
    assert {"search", "proofing", "django", "json"} <= taken  # the reading works
    assert sorted(scripts & taken) == [], "rename it (bench/search_speed.py, not bench/search.py)"


# --- what the mutation check can see ------------------------------------------------------


def decorated_functions(source: str) -> list[str]:
    """Functions decorated with ``transaction.atomic`` (mutmut 3 mutates no decorated function)."""
    return [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(ast.unparse(decorator) == "transaction.atomic" for decorator in node.decorator_list)
    ]


def test_services_open_their_transaction_where_the_mutation_check_sees_them():
    found = {
        f"{path.relative_to(REPO)}: {name}"
        for path in sorted((REPO / "articles" / "services").glob("*.py"))
        for name in decorated_functions(path.read_text())
    }
    assert found == set(), "use `with transaction.atomic():` in the body (docs/testing.md, Mutation check)"


def test_the_decorator_rule_sees_a_decorated_service():
    source = "@transaction.atomic\ndef article_x():\n    pass\n\ndef article_y():\n    pass\n"
    assert decorated_functions(source) == ["article_x"]
