"""The documentation site (docs/conf.py; built by ``python -m sphinx -W ...`` in README and CI):
every page is in the toctree, every backend has its notebook, the notebooks' code runs, and the API
reference sees the functions of the namespaces.  The build itself (notebooks executed, warnings as
errors) is CI's step, not a test."""

from __future__ import annotations

import contextlib
import io
import re
import sys
import types
from pathlib import Path

import pytest
from conftest import skip_reason

import brainunit_xp as u

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS))
import conf  # noqa: E402
from tour_notebooks import NOTEBOOKS, Markdown  # noqa: E402

#: folders of docs/ that hold build output or Sphinx templates, not pages
NOT_PAGES = ("_build", "_templates", "api", "jupyter_execute")


def toctree_entries() -> list[str]:
    """The documents index.md's toctrees list, with the optional pages conf.py adds when present."""
    entries = []
    for body in re.findall(r"^```\{toctree\}\n(.*?)^```", (DOCS / "index.md").read_text(), re.S | re.M):
        entries += [line.strip() for line in body.splitlines() if line.strip() and not line.startswith(":")]
    present = [page for page in conf.OPTIONAL_PAGES if (DOCS / f"{page}.md").exists()]
    return [page for entry in entries for page in (present if entry == "optional-pages" else [entry])]


def pages() -> set[str]:
    found = {*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")}
    names = {p.relative_to(DOCS).with_suffix("").as_posix() for p in found}
    in_folder = {n for n in names if "/" in n and n.split("/")[0] in NOT_PAGES}
    return {n for n in names - in_folder if ".ipynb_checkpoints" not in n} - {"index"}


def test_every_page_is_in_the_toctree_once() -> None:
    entries = toctree_entries()
    assert len(entries) == len(set(entries)), "a page is listed twice"
    assert set(entries) == pages(), "docs/index.md's toctrees and the pages of docs/ differ"


def test_every_backend_has_a_notebook() -> None:
    backends = {"pytorch" if name == "torch" else name for name in u._backends.BACKENDS} - {"array_api_strict"}
    assert set(NOTEBOOKS) == backends
    assert {p.stem for p in (DOCS / "notebooks").glob("*.ipynb")} == backends


def test_every_readme_quick_start_marker_is_there() -> None:
    """index.md and quickstart.md include README between these headings."""
    readme = (ROOT / "README.md").read_text()
    for heading in ("## Install and test", "## Quick start", "## Documentation"):
        assert f"\n{heading}\n" in readme, heading


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_code_runs(name: str) -> None:
    """The notebook's code cells, in order in one namespace (the site build runs them in a kernel);
    ``%%gpu`` cells only where a CUDA GPU is present, as in the notebook."""
    module = types.ModuleType(f"notebook_{name}")
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    try:
        for i, cell in enumerate(NOTEBOOKS[name]):
            if isinstance(cell, Markdown):
                continue
            code = str(cell)
            if code.startswith("%%gpu"):
                if skip_reason("cupy"):
                    continue
                code = code.split("\n", 1)[1]
            code = code.replace("@register_cell_magic\n", "")  # the magic needs IPython; its body is tested
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"{name}.ipynb:cell{i}", "exec"), namespace)
    finally:
        u.set_default_backend(None)
        del sys.modules[module.__name__]


def test_cupy_notebook_says_why_gpu_cells_are_skipped() -> None:
    first_code = next(str(c) for c in NOTEBOOKS["cupy"] if not isinstance(c, Markdown))
    assert "GPU =" in first_code and "skipped" in first_code
    gpu_cells = [c for c in NOTEBOOKS["cupy"] if str(c).startswith("%%gpu")]
    assert len(gpu_cells) >= 3


@pytest.mark.parametrize("module", conf.API_MODULES)
def test_the_api_reference_documents_the_functions(module: str) -> None:
    members = conf.api_members(module)
    documented = {n for kind in members.values() for n in kind}
    mod = sys.modules[module]
    public = set(getattr(mod, "__all__", dir(mod)))
    functions = {n for n in public if callable(getattr(mod, n)) and getattr(getattr(mod, n), "__module__", "")}
    ours = {n for n in functions if getattr(mod, n).__module__.startswith("brainunit_xp")}
    assert ours <= documented
    assert not any(isinstance(getattr(mod, n), u.Unit) for n in documented), "units are on the units page"


def test_the_backend_namespace_page_has_more_than_the_standard() -> None:
    """brainunit_xp.numpy's ``__all__`` is the standard's names; its page lists brainunit's too."""
    functions = conf.api_members("brainunit_xp.numpy")["functions"]
    assert {"sin", "matmul", "einsum", "cumsum", "histogram"} <= set(functions)
    assert len(functions) > len(u.numpy.__all__)
