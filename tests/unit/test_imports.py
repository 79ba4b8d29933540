"""No circle between modules: no module imports, directly or through others, one that imports it.
(The layers between packages are import-linter's contracts in pyproject.toml, run by `make test`.)"""

import re

import grimp

PACKAGES = ("lingong", "kiosk", "display", "hub", "device", "sync", "cardreader", "wire", "floor", "assets")


def test_no_module_imports_itself_round_a_circle():
    graph = grimp.build_graph(*PACKAGES)
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] in PACKAGES and graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == [], circles


def test_every_module_imports():
    """Every module's imports resolve (a module moved between packages leaves no stale import).
    Modules that import Kivy at the top open a window when imported: the screen tests run them."""
    import importlib
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    kivy = re.compile(r"^(from kivy|import kivy)", re.M)
    failed = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            if name.startswith("hub.migrations") or kivy.search(path.read_text(encoding="utf-8")):
                continue
            try:
                importlib.import_module(name)
            except ImportError as exc:
                failed.append(f"{name}: {exc}")
    assert failed == [], failed


def test_every_hub_refusal_has_a_code_and_chinese_words():
    """hub/errors.py's convention, for every HubError the hub's source makes (raised at once, or
    collected with others for a form to show together — `problems` in the services): a stable
    code (`domain.what`) and a message with Chinese in it (what people read)."""
    import ast
    from pathlib import Path

    from hub import errors

    kinds = {
        name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.HubError)
    }
    root = Path(__file__).resolve().parents[2] / "hub"
    broken, seen = [], 0
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node if isinstance(node, ast.Call) else None  # raised, or made to be raised later
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in kinds):
                continue
            seen += 1
            code = next((k.value for k in call.keywords if k.arg == "code"), None)
            words = ast.unparse(call.args[0]) if call.args else ""
            if not (isinstance(code, ast.Constant) and re.fullmatch(r"[a-z]+\.[a-z_]+", str(code.value))):
                broken.append(f"{path.name}:{node.lineno} no code")
            if call.args and not re.search(r"[\u4e00-\u9fff]", words) and call.func.id != "TooMany":
                broken.append(f"{path.name}:{node.lineno} not in Chinese: {words[:60]}")
    assert seen > 90 and broken == [], broken
