"""Issue 13: the package has no import cycle, and every module imports on its own in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "monitor"


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `name` imports, at any depth of the file (function-level and
    TYPE_CHECKING imports included: a cycle hidden inside a function is still a cycle)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import fetch` imports the module monitor.sources.fetch
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_graph_reads_relative_imports():
    graph = import_graph()
    assert "monitor.storage.store" in graph["monitor.pipeline.cycle"]  # from ..storage.store import Store
    assert "monitor.sources.fetch" in graph["monitor.pipeline.cycle"]  # from ..sources import fetch as fetchmod
    assert "monitor" in graph["monitor.sources.fetch"]  # from .. import __version__


def test_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(m for m in _modules() if m != "monitor.__main__"))
def test_module_imports_alone_in_a_fresh_interpreter(module):
    r = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_every_type_ignore_in_the_package_says_why():
    """`# type: ignore[code]  # reason`: a bare ignore hides what was wrong and why it is fine."""
    bare = []
    for path in PACKAGE.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line:
                after = line.split("type: ignore", 1)[1]
                if "[" not in after.split("#", 1)[0] or "#" not in after or not after.split("#", 1)[1].strip():
                    bare.append(f"{path.relative_to(PACKAGE.parent)}:{n}")
    assert not bare, bare


def test_caches_from_the_flat_layout_are_rebuilt(tmp_path, monkeypatch):
    """Pickles beside the database name classes by module path (monitor.vendors.Vendor before the move):
    such a file is never loaded as this layout's cache; the register and the Matcher are rebuilt."""
    import pickle

    from monitor.matching.matcher import Matcher
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.workers import load_matcher, matcher_key, prepare_matcher

    csv = tmp_path / "vendors.csv"
    csv.write_text("name,aliases,domains,criticality\nOkta Inc.,Okta,okta.com,high\n", encoding="utf-8")
    db = tmp_path / "monitor.db"
    vendors = load_vendors(csv, db)
    [cached] = tmp_path.glob("monitor.db.vendors-*.pickle")
    key = cached.name.rsplit("-", 1)[1].removesuffix(".pickle")
    # The same register as the flat layout pickled it (protocol 2 names classes as "module\nname\n").
    old = pickle.dumps((key, vendors), protocol=2).replace(b"monitor.matching.vendors\n", b"monitor.vendors\n")
    assert b"monitor.vendors\n" in old
    cached.write_bytes(old)
    assert load_vendors(csv, db) == vendors  # rebuilt, not a crash
    assert b"monitor.matching.vendors" in cached.read_bytes()  # and stored again in this layout's form

    # The Matcher cache key changes with the classes' module path: a file written before a move is not used.
    now = matcher_key(vendors)
    monkeypatch.setattr(Matcher, "__module__", "monitor.match")
    assert matcher_key(vendors) != now
    monkeypatch.undo()
    ref, built = prepare_matcher(vendors, db)
    assert built is not None
    assert [m.vendor for m in load_matcher(ref).match({"title": "Okta breach"})] == ["Okta Inc."]
