"""The brainunit-compat runner (brainunit-compat/run.py, bxp_compat.py), without brainunit's suite
except in the one end-to-end test, which is skipped when the pinned wheel cannot be had."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import brainunit_xp as u

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "brainunit-compat"
spec = importlib.util.spec_from_file_location("compat_run", CONFIG / "run.py")
assert spec is not None and spec.loader is not None
run = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(run)
sys.path.insert(0, str(CONFIG))
import bxp_compat  # noqa: E402

MIGRATING = ROOT / "docs" / "migrating-from-brainunit.md"


# -- rewriting the imports --------------------------------------------------------------------------------


def test_every_import_form_is_rewritten_on_its_own_line() -> None:
    source = textwrap.dedent('''\
        """A test file."""
        import os, saiunit as u
        import saiunit.math as um
        import saiunit.lax
        import brainunit as bu
        from saiunit import meter, second as s
        from saiunit._base_getters import (
            assert_quantity,
            display_in_unit,
        )
        from saiunit._unit_common import *
        import brainstate as bst
        from brainstate import environ
        import numpy as np


        def test_x():
            from saiunit.math import sqrt
            return sqrt
        ''')
    out = run.rewrite(source)
    assert len(out.splitlines()) == len(source.splitlines())  # tracebacks keep their line numbers
    lines = out.splitlines()
    assert lines[0] == f'"""A test file."""; {run.PROLOGUE}'
    assert lines[1] == "import os; u = _bxp.module('saiunit')"
    assert lines[2] == "um = _bxp.module('saiunit.math')"
    assert lines[3] == "saiunit = _bxp.module('saiunit')"
    assert lines[4] == "bu = _bxp.module('brainunit')"
    assert lines[5] == "meter, s, = _bxp.names('saiunit', 'meter', 'second')"
    names = "'saiunit._base_getters', 'assert_quantity', 'display_in_unit'"
    assert lines[6] == f"assert_quantity, display_in_unit, = _bxp.names({names})"
    assert lines[7:10] == ["", "", ""]
    assert lines[10] == "globals().update(_bxp.star('saiunit._unit_common'))"
    assert lines[11] == "bst = _bxp.optional('brainstate')"
    assert lines[12] == "environ, = _bxp.optional_names('brainstate', 'environ')"
    assert lines[13] == "import numpy as np"
    assert lines[17] == "    sqrt, = _bxp.names('saiunit.math', 'sqrt')"


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ("# a comment\nimport saiunit as u\n", f"{run.PROLOGUE}; # a comment"),
        ("from __future__ import annotations\nimport saiunit\n", f"from __future__ import annotations; {run.PROLOGUE}"),
        ("class A:\n    import saiunit\n", run.PROLOGUE),  # a compound first line: the prologue gets its own
    ],
)
def test_the_prologue_goes_where_python_allows_it(source: str, first: str) -> None:
    out = run.rewrite(source)
    assert out.splitlines()[0] == first
    compile(out, "x.py", "exec")


def test_a_file_without_our_imports_is_left_alone() -> None:
    source = "import numpy as np\nfrom jax import numpy as jnp\n"
    assert run.rewrite(source) == source


def test_the_layout_is_read_from_the_sources(tmp_path: Path) -> None:
    pkg = tmp_path / "saiunit"
    (pkg / "math").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from . import math\nfrom ._getters import get_unit, _hidden\nfrom ._units import *\nCONST = 1\n"
    )
    (pkg / "_getters.py").write_text("def get_unit(): ...\ndef _hidden(): ...\ndef helper(): ...\n")
    (pkg / "_units.py").write_text("meter = 1\nsecond = 2\n__all__ = ['meter'] + ['second']\n")
    (pkg / "math" / "__init__.py").write_text(
        "from ._a import *\nfrom ._a import __all__ as _a_all\n__all__ = _a_all + ['x']\n"
    )
    (pkg / "math" / "_a.py").write_text("__all__ = ['sqrt']\ndef sqrt(): ...\n")
    (pkg / "math" / "_a_test.py").write_text("")
    layout = run.Layout(pkg).as_json()
    assert layout["modules"] == ["saiunit", "saiunit._getters", "saiunit._units", "saiunit.math", "saiunit.math._a"]
    assert layout["public"]["saiunit"] == ["CONST", "get_unit", "math", "meter", "second"]
    assert layout["star"]["saiunit._units"] == ["meter", "second"]
    assert layout["star"]["saiunit.math"] == ["sqrt", "x"]
    assert layout["public"]["saiunit.math"] == ["sqrt", "x"]


# -- the placeholders ------------------------------------------------------------------------------------


@pytest.fixture
def layout(monkeypatch: pytest.MonkeyPatch) -> None:
    public = {"saiunit": ["meter", "assert_quantity", "surely_lacking_top", "math"], "saiunit.math": ["sqrt"]}
    modules = ["saiunit", "saiunit.math", "saiunit._base_getters", "saiunit._backend"]
    monkeypatch.setattr(bxp_compat, "_layout", {"modules": modules, "public": public, "star": {}})


def lacks(message: str) -> pytest.RaisesExc:
    return pytest.raises(pytest.fail.Exception, match=re.escape(message))


def test_a_name_we_have_resolves_to_ours(layout: None) -> None:
    assert bxp_compat.resolve("saiunit.math", "sqrt") is u.math.sqrt
    assert bxp_compat.resolve("brainunit", "meter") is u.meter
    assert bxp_compat.module("saiunit").math is bxp_compat.module("saiunit.math")
    assert bxp_compat.names("saiunit", "meter", "Quantity") == (u.meter, u.Quantity)


def test_a_name_we_lack_fails_at_use_not_at_resolution(layout: None) -> None:
    (lacking,) = bxp_compat.names("saiunit.math", "surely_lacking")  # an import: no failure
    message = "brainunit_xp lacks brainunit_xp.math.surely_lacking (brainunit: saiunit.math.surely_lacking)"
    for use in (lambda: lacking(1.0), lambda: lacking.attr, lambda: isinstance(1, lacking), lambda: str(lacking)):
        with lacks(message):
            use()
    assert bxp_compat.resolve("saiunit.math", "surely_lacking") is lacking  # one placeholder per name
    with pytest.raises(pytest.fail.Exception), contextlib.suppress(Exception):  # `except Exception` cannot swallow it
        lacking()


def test_a_subclass_of_a_lacking_class_is_lacking_too(layout: None) -> None:
    base = bxp_compat.resolve("saiunit", "surely_lacking_top")

    class Array(base):  # type: ignore[misc, valid-type]
        def __init__(self, value: object) -> None:
            self.value = value

    with lacks("brainunit_xp lacks brainunit_xp.surely_lacking_top"):
        Array(1)


def test_private_names_are_never_looked_up_in_ours(layout: None) -> None:
    with lacks("brainunit_xp lacks saiunit._base_getters._hidden, a name private to brainunit"):
        bxp_compat.resolve("saiunit._base_getters", "_hidden")()
    with lacks("brainunit_xp lacks saiunit._backend.get_backend, a name private to brainunit"):
        bxp_compat.resolve("saiunit._backend", "get_backend")()
    # a name brainunit exports from a private module is looked for under its public name
    import brainunit_xp

    assert bxp_compat.resolve("saiunit._base_getters", "assert_quantity") is brainunit_xp.assert_quantity


def test_hasattr_and_getattr_see_a_lacking_name_as_absent(layout: None) -> None:
    math = bxp_compat.module("saiunit.math")
    assert bxp_compat.hasattr(math, "sqrt") and not bxp_compat.hasattr(math, "surely_lacking")
    assert bxp_compat.getattr(math, "surely_lacking", None) is None
    assert bxp_compat.getattr(math, "sqrt", None) is u.math.sqrt


def test_an_absent_test_dependency_fails_at_use() -> None:
    absent = bxp_compat.optional("surely_not_a_module_anywhere")
    with lacks("needs surely_not_a_module_anywhere, which is not installed here"):
        _ = absent.environ


def test_to_backend_helper_converts_plain_arrays(layout: None) -> None:
    import jax.numpy as jnp
    import numpy as np

    to_backend = bxp_compat.resolve("saiunit._backend", "to_backend")
    out = to_backend(np.array([1.0, 2.0]), "jax")
    assert isinstance(out, type(jnp.zeros(1))) and out.tolist() == [1.0, 2.0]
    assert to_backend(jnp.array([3.0]), "numpy").tolist() == [3.0]


# -- expectations ------------------------------------------------------------------------------------


def test_expectations_need_a_reason_of_a_known_class(tmp_path: Path) -> None:
    path = tmp_path / "expectations.txt"
    path.write_text("# comment\na.py::test_a  # missing: brainunit_xp.math.foo\n")
    assert run.read_expectations(path) == {"a.py::test_a": "missing: brainunit_xp.math.foo"}
    for bad, error in [
        ("a.py::test_a\n", "every line needs a reason"),
        ("a.py::test_a  # because\n", "a reason starts with one of"),
        ("a.py::test_a  # design: no link\n", "a design reason links its section"),
        ("a.py::test_a  # env: x\na.py::test_a  # env: y\n", "listed twice"),
    ]:
        path.write_text(bad)
        with pytest.raises(SystemExit, match=error):
            run.read_expectations(path)


def test_an_entry_covers_its_test_or_everything_under_it() -> None:
    test = "saiunit_tests/a_test.py::TestA::test_b[numpy]"
    assert run.covers(test, test)
    assert run.covers("saiunit_tests/a_test.py::TestA::test_b", test)
    assert run.covers("saiunit_tests/a_test.py::TestA", test)
    assert run.covers("saiunit_tests/a_test.py", test)
    assert not run.covers("saiunit_tests/a_test.py::TestA::test", test)
    assert not run.covers("saiunit_tests/a_test.py::TestA::test_b[jax]", test)


def outcome(outcome: str, message: str = "", lacks: list[str] | None = None) -> dict:
    return {"outcome": outcome, "message": message, "lacks": lacks or [], "seen": lacks or []}


def test_unexpected_now_passing_and_stale_entries() -> None:
    result = run.Run(
        {
            "f.py::a": outcome("failed"),
            "f.py::b": outcome("passed"),
            "f.py::c": outcome("failed"),
            "f.py::d": outcome("skipped"),
        },
        1.0,
    )
    expectations = {"f.py::a": "env: x", "f.py::b": "env: y", "f.py::gone": "env: z"}
    comparison = run.compare(result, expectations, ran_all=True)
    assert comparison.unexpected == ["f.py::c"]
    assert comparison.now_passing == ["f.py::b"]
    assert comparison.stale == ["f.py::gone"]
    assert run.compare(result, expectations, ran_all=False).stale == []  # a partial run cannot tell


def test_update_keeps_written_reasons_and_derives_new_ones() -> None:
    lacking = "Failed: brainunit_xp lacks brainunit_xp.math.foo (brainunit: saiunit.math.foo)"
    result = run.Run(
        {
            "f.py::kept": outcome("failed", "AssertionError"),
            "f.py::fixed": outcome("passed"),
            "f.py::new": outcome("failed", lacking, ["brainunit_xp.math.foo"]),
            "f.py::odd": outcome("failed", "AssertionError: something else"),
        },
        1.0,
    )
    expectations = {
        "f.py::kept": "design: written by hand (docs/migrating-from-brainunit.md#display)",
        "f.py::fixed": "env: x",
    }
    new, unknown = run.update(expectations, result, ran_all=True)
    assert new == {"f.py::kept": expectations["f.py::kept"], "f.py::new": "missing: brainunit_xp.math.foo"}
    assert unknown == ["f.py::odd"]


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "Failed: brainunit_xp lacks brainunit_xp.math.foo (brainunit: saiunit.math.foo)",
            "missing: brainunit_xp.math.foo",
        ),
        (
            "Failed: brainunit_xp lacks saiunit._backend.get_backend, a name private to brainunit",
            "design: tests a name private to brainunit (saiunit._backend.get_backend) "
            "(docs/migrating-from-brainunit.md#private-names)",
        ),
        ("AttributeError: 'Quantity' object has no attribute 'ravel'", "missing: brainunit_xp.Quantity.ravel"),
        ("AttributeError: type object 'Unit' has no attribute 'create'", "missing: brainunit_xp.Unit.create"),
        (
            "Failed: needs brainstate, which is not installed here",
            "env: needs brainstate, a test dependency of brainunit that imports brainunit itself",
        ),
        ("AssertionError: assert 1 == 2", None),
    ],
)
def test_reasons_derived_from_the_failure(message: str, reason: str | None) -> None:
    assert run.derive({"id": "f.py::t", **outcome("failed", message)}, rules=[]) == reason


def test_rules_match_message_and_test_id() -> None:
    rules = [
        {"match": "^TypeError", "test": "fft/", "reason": "design: x (docs/migrating-from-brainunit.md#dft-units)"}
    ]
    assert run.derive({"id": "fft/a_test.py::t", "message": "TypeError: no"}, rules) == rules[0]["reason"]
    assert run.derive({"id": "math/a_test.py::t", "message": "TypeError: no"}, rules) is None


def slugs(markdown: str) -> set[str]:
    """GitHub's anchors of a page's headings."""
    return {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in markdown.splitlines()
        if line.startswith("#")
    }


def test_the_checked_in_expectations_are_valid_and_link_real_sections() -> None:
    entries = run.read_expectations()
    assert entries, "brainunit-compat/expectations.txt is empty"
    anchors = slugs(MIGRATING.read_text())
    for test, reason in entries.items():
        assert test.startswith(f"{run.TESTS}/") and "_test.py" in test, test
        if run.kind(reason) == "design":
            anchor = re.search(r"migrating-from-brainunit\.md#([\w-]+)\)", reason)
            assert anchor and anchor.group(1) in anchors, (test, reason)
    for rule in run.SETTINGS.get("reason", []):
        assert run.kind(rule["reason"]) in run.CLASSES, rule


def test_the_docs_page_is_written_from_results_json() -> None:
    assert (ROOT / "docs" / "brainunit-compat.md").read_text() == run.docs(json.loads(run.RESULTS.read_text()))


def test_ci_runs_the_compat_step_after_conformance() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("array-api-tests-config/run.py --ci") < ci.index("python brainunit-compat/run.py --ci")


def test_the_cache_is_outside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRAINUNIT_COMPAT_DIR", raising=False)
    assert ROOT not in run.cache_dir().parents


def test_ci_without_the_wheel_says_so_in_one_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(CONFIG / "run.py"), "--ci", "--wheel", str(tmp_path / "nowhere.whl")],
        env={**os.environ, "BRAINUNIT_COMPAT_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.strip().splitlines()
    assert line.startswith("brainunit-compat: SKIPPED — could not get the saiunit 0.6.0 wheel")


# -- end to end ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def suite() -> tuple[Path, list[Path]]:
    try:
        return run.fetch()
    except (OSError, ValueError) as exc:
        pytest.skip(f"the pinned saiunit 0.6.0 wheel cannot be had here (no PyPI, no cache): {exc}")


def test_a_lacking_name_fails_only_its_tests(suite: tuple[Path, list[Path]], tmp_path: Path) -> None:
    package, deps = suite
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "synthetic_test.py").write_text(
        textwrap.dedent("""\
            import saiunit as u
            from saiunit.math import surely_lacking, sqrt
            from saiunit._base_getters import get_unit


            def test_uses_what_we_have():
                assert sqrt(4.0 * u.meter**2) == 2.0 * u.meter


            def test_uses_the_lacking_name():
                surely_lacking(1.0)


            def test_asks_for_it():
                assert not hasattr(u.math, "surely_lacking")
            """)
    )
    suite_dir = run.prepare(tmp_path / "pkg", tmp_path / "rewritten")
    (suite_dir / "layout.json").write_text(json.dumps(run.Layout(package).as_json()))
    result = run.run_suite(suite_dir, deps, workers="0")
    tests = {k.split("::")[1]: v for k, v in result.tests.items()}
    assert tests["test_uses_what_we_have"]["outcome"] == "passed"
    assert tests["test_asks_for_it"]["outcome"] == "passed"
    lacking = tests["test_uses_the_lacking_name"]
    assert lacking["outcome"] == "failed"
    assert lacking["message"].startswith("Failed: brainunit_xp lacks brainunit_xp.math.surely_lacking")
    assert run.derive({"id": "x", **lacking}) == "missing: brainunit_xp.math.surely_lacking"


def test_brainunits_own_tests_of_one_file_match_the_expectations(suite: tuple[Path, list[Path]]) -> None:
    files = [f"{run.TESTS}/_exceptions_test.py", f"{run.TESTS}/math/_alias_test.py"]
    out = subprocess.run(
        [sys.executable, str(CONFIG / "run.py"), "-n", "0", *files],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("brainunit-compat saiunit 0.6.0 tests: ")
