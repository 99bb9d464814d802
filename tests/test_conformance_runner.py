"""The conformance runner (array-api-tests-config/run.py) and .ci/run, without the suite itself."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "array-api-tests-config"
spec = importlib.util.spec_from_file_location("conformance_run", CONFIG / "run.py")
assert spec is not None and spec.loader is not None
run = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(run)

LISTS = sorted([*CONFIG.glob("xfails/*.txt"), *CONFIG.glob("skips/*.txt")])


def commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_exactly_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme.split("## Quick start")[0], flags=re.S)
    readme_commands = [c for block in blocks for c in commands(block)]
    ci = [c for c in commands((ROOT / ".ci" / "run").read_text()) if not c.startswith(("set ", "cd "))]
    assert ci == readme_commands
    assert len(ci) == 7 and ci[0].startswith("python -m pip install torch==2.13.0")


@pytest.mark.parametrize("path", LISTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_xfail_and_skip_names_a_suite_test_and_a_reason(path: Path) -> None:
    entries = run.read_list(path)
    assert entries, f"{path} is empty: delete it instead"
    assert path.stem in run.BARE
    for test, reason in entries.items():
        assert test.startswith("array_api_tests/test_"), test
        assert len(reason) > 10, (test, reason)


def test_every_backend_has_xfails() -> None:
    assert {p.stem for p in CONFIG.glob("xfails/*.txt")} >= set(run.CPU_BACKENDS)


def test_a_line_without_reason_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "numpy.txt"
    bad.write_text("array_api_tests/test_sorting_functions.py::test_argsort  # a reason\narray_api_tests/test_x.py\n")
    with pytest.raises(SystemExit, match=re.escape("numpy.txt:2: every line needs a reason")):
        run.read_list(bad)


def test_matches_as_the_suite_does() -> None:
    test = "array_api_tests/test_linalg.py::test_svd[x]"
    assert run.matches(test, test)
    assert run.matches(test, "array_api_tests/test_linalg.py::test_svd")
    assert run.matches(test, "array_api_tests/test_linalg.py")
    assert not run.matches(test, "array_api_tests/test_linalg.py::test_svdvals")


def ci(tmp_path: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ARRAY_API_TESTS")}
    return subprocess.run(
        [sys.executable, str(CONFIG / "run.py"), "--ci", *extra],
        env={**clean, "HOME": str(tmp_path), **env}, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_ci_without_the_suite_says_so_in_one_line(tmp_path: Path) -> None:
    out = ci(tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == [
        "conformance: SKIPPED — the array-api-tests suite was not found (set ARRAY_API_TESTS_DIR; "
        "see array-api-tests-config/README.md)"
    ]


def test_ci_past_its_budget_reports_each_backend_not_checked(tmp_path: Path) -> None:
    for commit in {run.pin(b)["commit"][:7] for b in run.CPU_BACKENDS}:  # empty stand-ins for the suite
        for sub in ("array_api_tests", "array-api/src"):
            (tmp_path / f"array-api-tests-{commit}" / sub).mkdir(parents=True)
    out = ci(tmp_path, "--budget", "0", ARRAY_API_TESTS_DIR=str(tmp_path))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    checked = [b for b in run.CI_ORDER if run.installed(b)]
    assert [line.split(":")[0] for line in lines if "NOT CHECKED" in line] == [f"conformance {b}" for b in checked]
    assert all("run.py --backend" in line for line in lines if "NOT CHECKED" in line)
    assert not any("failures added by units: 0" in line for line in lines)


@pytest.mark.parametrize("shrink", ["1", "0"])
def test_same_inputs_turns_shrinking_off_on_request(tmp_path: Path, shrink: str) -> None:
    (tmp_path / "conftest.py").write_text(  # as the suite's conftest: a profile loaded in pytest_configure
        "from hypothesis import settings\n"
        "def pytest_configure(config):\n"
        "    settings.register_profile('array-api-tests', max_examples=7)\n"
        "    settings.load_profile('array-api-tests')\n"
    )
    (tmp_path / "test_phases.py").write_text(
        "from hypothesis import Phase, given, settings, strategies as st\n"
        "@given(st.integers())\n"
        "def test_phases(x):\n"
        f"    assert (Phase.shrink in settings.default.phases) is {shrink == '1'}\n"
        "    assert settings.default.max_examples == 7 and Phase.generate in settings.default.phases\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(CONFIG), str(ROOT)]),
        "BRAINUNIT_XP_CONFORMANCE_BACKEND": "numpy",
        "BRAINUNIT_XP_CONFORMANCE_SHRINK": shrink,
    }
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "same_inputs", "-p", "no:cacheprovider", "test_phases.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout
