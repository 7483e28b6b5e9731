"""pyproject.toml builds without setuptools' deprecation banners (checked by hand with
`pip install -e .` in a fresh Python 3.11 venv; this keeps the cause from coming back)."""

import re
import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())


def test_the_license_is_an_spdx_expression_and_the_build_backend_understands_it():
    # A TOML table ({text = …}) is deprecated; a plain SPDX string needs setuptools>=77.
    license = PYPROJECT["project"]["license"]
    assert isinstance(license, str) and re.fullmatch(r"[A-Za-z0-9.+-]+(-or-later|-only)?", license)
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if "setuptools" in r]
    minimum = re.fullmatch(r"setuptools>=(\d+).*", setuptools)
    assert minimum and int(minimum.group(1)) >= 77
    assert not any(c.startswith("License ::") for c in PYPROJECT["project"].get("classifiers", []))


def test_an_editable_install_links_the_project_with_a_plain_path_file():
    # Without package-dir {"" = "."}, setuptools picks a meta-path finder and prints an
    # "Editable installation" banner on every `pip install -e .`.
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"": "."}
