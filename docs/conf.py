"""Sphinx configuration of the documentation site.

Build it with ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (README's command):
the Markdown pages through MyST, the notebooks of ``docs/notebooks/`` executed by myst-nb, and the
API reference generated from the docstrings by autodoc + autosummary.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

DOCS = Path(__file__).resolve().parent
# this checkout's brainunit_xp, not an installed one: here and in the notebooks' kernels
sys.path.insert(0, str(DOCS.parent))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(DOCS.parent), os.environ.get("PYTHONPATH")]))

import brainunit_xp  # noqa: E402
from brainunit_xp._backends import BACKENDS  # noqa: E402

project = "brainunit_xp"
author = "brainunit_xp developers"
copyright = "brainunit_xp developers"
release = version = brainunit_xp.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
]
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
#: pages other branches are writing: index.md's toctree lists those present (see ``optional_pages``)
OPTIONAL_PAGES = ("interop", "numpy-protocols", "scipy", "xarray")

# -- MyST and the notebooks --------------------------------------------------------------------------------
myst_heading_anchors = 3  # [text](page.md#a-heading) links
nb_execution_mode = "force"  # the notebooks run on every build that reads them
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_merge_streams = True

# -- the API reference -------------------------------------------------------------------------------------
#: the modules of docs/api.md: their ``__all__``, except a backend namespace (populated at import), whose
#: ``__all__`` holds the standard's names only: all its public attributes
API_MODULES = (
    "brainunit_xp",
    "brainunit_xp.math",
    "brainunit_xp.linalg",
    "brainunit_xp.fft",
    "brainunit_xp.lax",
    "brainunit_xp.autograd",
    "brainunit_xp.sparse",
    "brainunit_xp.constants",
    "brainunit_xp.typing",
    "brainunit_xp.numpy",
)
#: modules whose data are shown with their values (constants, type aliases)
WITH_VALUES = ("brainunit_xp.constants", "brainunit_xp.typing")


def api_members(name: str) -> dict[str, list[str]]:
    """The names the API page of module ``name`` documents, by kind: brainunit_xp's own classes,
    exceptions and functions, and the data; units (described on the units page), submodules and
    classes of other libraries (numpy's dtypes) are left out, except as data of ``typing``."""
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    if names is None or name.removeprefix("brainunit_xp.") in BACKENDS:
        names = [n for n in dir(module) if not n.startswith("_")]
    kinds: dict[str, list[str]] = {"classes": [], "exceptions": [], "functions": [], "data": []}
    for member in names:
        obj = getattr(module, member)
        own = (getattr(obj, "__module__", None) or "").startswith("brainunit_xp")
        if isinstance(obj, brainunit_xp.Unit) or inspect.ismodule(obj):
            continue
        if inspect.isclass(obj) and own:
            kinds["exceptions" if issubclass(obj, BaseException) else "classes"].append(member)
        elif callable(obj) and own and not inspect.isclass(obj):
            kinds["functions"].append(member)
        elif name in WITH_VALUES or not (inspect.isclass(obj) or callable(obj)):
            kinds["data"].append(member)
    return kinds


autosummary_generate = True
autosummary_context = {
    "api": {name: api_members(name) for name in API_MODULES},
    "with_values": WITH_VALUES,
}
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"  # no "Parameters: x (Any)" on every function
napoleon_google_docstring = True
napoleon_numpy_docstring = True

# -- HTML ----------------------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "brainunit_xp"
html_theme_options: dict[str, Any] = {"show_toc_level": 2}
if os.environ.get("GITHUB_REPOSITORY"):  # the Pages workflow: link the repository it builds
    html_theme_options |= {
        "repository_url": f"https://github.com/{os.environ['GITHUB_REPOSITORY']}",
        "use_repository_button": True,
    }


# -- docstrings --------------------------------------------------------------------------------------------
def _attribute_doc(name: str, obj: object) -> list[str]:
    """The ``#:`` comment documenting ``obj`` where brainunit_xp defines it (re-exports have none)."""
    short = name.rsplit(".", 1)[-1]
    for modname, module in sorted(sys.modules.items()):
        if modname.startswith("brainunit_xp") and getattr(module, short, None) is obj:
            try:
                docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
            except PycodeError:
                continue
            if ("", short) in docs:
                return list(docs["", short])
    return []


def process_docstring(app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    """Data show the ``#:`` comment where brainunit_xp defines them, never the docstring of their type
    (``dict``, ``Quantity``) or of what they alias (``int``); the unit rules (plain text in the docstrings
    the namespaces generate) are escaped for reST."""
    if what == "data":
        lines[:] = _attribute_doc(name, obj)
    for i, line in enumerate(lines):
        if line.startswith("Unit rule:"):
            lines[i] = line.replace("*", r"\*")


def optional_pages(app: Sphinx, docname: str, source: list[str]) -> None:
    """index.md's ``optional-pages`` line becomes the toctree entries of the OPTIONAL_PAGES present."""
    if docname == "index":
        present = [page for page in OPTIONAL_PAGES if (DOCS / f"{page}.md").exists()]
        source[0] = source[0].replace("optional-pages\n", "".join(f"{page}\n" for page in present))


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-docstring", process_docstring)
    app.connect("source-read", optional_pages)
