"""No circle between modules: no module imports, directly or through others, one that imports it.
(The layers between packages are import-linter's contracts in pyproject.toml, run by `make test`.)"""

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
