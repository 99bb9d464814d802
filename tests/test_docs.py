"""The documentation runs: every ``python`` block of README.md and docs/*.md is executed (the
blocks of a page share one namespace, in order), and when a ``text`` block follows it, the
printed output must match it.  Blocks fenced as ``python no-run`` are shown, not run; ``python
cupy`` blocks run only where a CUDA GPU is present.  Generated pages must not drift."""

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
from brainunit_xp._units.catalog import catalog_markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
from generate import PAGES as GENERATED  # noqa: E402
from generate import SECTIONS, splice  # noqa: E402

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run_and_print_what_they_show(page: Path) -> None:
    blocks = FENCE.findall(page.read_text())
    # the page's blocks run in an importable module: torch.compile imports the module of what it traces
    module = types.ModuleType(f"docs_{page.stem.replace('-', '_')}")
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    try:
        for i, (lang, info, code) in enumerate(blocks):
            if lang != "python" or "no-run" in info:
                continue
            if "cupy" in info and skip_reason("cupy"):
                continue
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{page.name}:block{i}", "exec"), namespace)
            if i + 1 < len(blocks) and blocks[i + 1][0] == "text":
                expected = [line.rstrip() for line in blocks[i + 1][2].strip("\n").splitlines()]
                assert [line.rstrip() for line in out.getvalue().strip("\n").splitlines()] == expected
    finally:
        u.set_default_backend(None)
        del sys.modules[module.__name__]


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_pages_do_not_drift(name: str) -> None:
    assert (ROOT / "docs" / name).read_text() == GENERATED[name](), f"run: python docs/generate.py ({name})"


def test_generated_sections_do_not_drift() -> None:
    page = (ROOT / "docs" / "units.md").read_text()
    section = re.search(r"^<!-- catalog:[^\n]*-->\n\n(.*?)\n^<!-- /catalog -->$", page, re.S | re.M)
    assert section is not None, "docs/units.md lost its <!-- catalog: --> section"
    assert section.group(1) == catalog_markdown()


@pytest.mark.parametrize(("page", "marker"), [(p, m) for p, s in SECTIONS.items() for m in s])
def test_every_generated_section_is_current(page: str, marker: str) -> None:
    text = (ROOT / "docs" / page).read_text()
    assert splice(text, marker, SECTIONS[page][marker]()) == text, f"run: python docs/generate.py ({page})"
