"""The UI ships everything it loads: no template or asset fetches from another site, and every
template and static file is package data, so an installed wheel works offline too."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pyflow.ui

ROOT = Path(__file__).resolve().parents[3]
UI = Path(pyflow.ui.__file__).parent
ASSETS = sorted(p for d in ("templates", "static") for p in (UI / d).iterdir() if p.is_file())
# src=, href= and CSS url() values, and script-made requests
FETCHES = re.compile(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)"""
                     r"""|fetch\(\s*["']([^"']+)""")


def test_nothing_is_loaded_from_another_site() -> None:
    remote = [
        f"{path.name}: {target}"
        for path in ASSETS
        for match in FETCHES.finditer(path.read_text(encoding="utf-8"))
        for target in match.groups()
        if target and re.match(r"(?:[a-z]+:)?//", target)
    ]
    assert ASSETS and not remote


def test_every_template_and_static_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["pyflow"]
    missing = [
        str(path.relative_to(UI.parent))
        for path in ASSETS
        if not any(fnmatch(str(path.relative_to(UI.parent)), pattern) for pattern in patterns)
    ]
    assert not missing
