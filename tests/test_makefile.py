"""`make run` serves on PORT (default 8000), and says so."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_recipe(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -n prints the recipe without running it (nor the venv it depends on).
    return subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(("args", "port"), [((), "8000"), (("PORT=8001",), "8001")])
def test_make_run_serves_on_the_port_it_is_given_and_prints_that_url(args, port):
    recipe = _run_recipe(*args)
    assert f"runserver 127.0.0.1:{port}" in recipe
    assert f"http://127.0.0.1:{port}/" in recipe  # the URL it prints
    assert f"SITE_URL=http://127.0.0.1:{port} " in recipe  # and the one seed_demo prints
    other = "8001" if port == "8000" else "8000"
    assert f"127.0.0.1:{other}" not in recipe


def test_make_install_installs_the_locked_tree_and_refuses_a_stale_lock():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    recipe = subprocess.run(
        ["make", "-n", "-B", "-C", str(ROOT), "install"], capture_output=True, text=True, check=True
    ).stdout
    assert "uv sync --locked" in recipe and "pip install -e" not in recipe
    assert (ROOT / "uv.lock").is_file()
