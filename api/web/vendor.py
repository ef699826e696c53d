"""Front-end packages served from a git-ignored folder instead of a CDN.

``python -m api.web.vendor`` (run by ``make static``) fetches the pinned packages listed in
``vendor.json`` from the npm registry with ``npm pack`` and keeps only the listed files, under
``<cache>/static/vendor/<package>@<version>/``. The server never contacts a CDN: GraphiQL's page is
rewritten to these files (:func:`offline_graphiql_html`) and the reports page loads ECharts from them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from functools import cache
from pathlib import Path

from graph.config import cache_dir

MANIFEST = Path(__file__).with_name("vendor.json")
STATIC_URL = "/static/vendor"


def static_dir() -> Path:
    """Where ``/static`` is served from (``GONGXU_STATIC_DIR``, else ``<cache>/static``)."""
    return Path(os.environ.get("GONGXU_STATIC_DIR", cache_dir() / "static")).resolve()


@cache
def packages() -> dict[str, dict[str, object]]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["packages"]


def asset_url(package: str, file: str) -> str:
    """The local URL of one listed file, e.g. ``/static/vendor/echarts@5.6.0/dist/echarts.min.js``."""
    version = packages()[package]["version"]
    return f"{STATIC_URL}/{package}@{version}/{file}"


def missing() -> list[str]:
    """Listed files that are not installed (empty when ``make static`` has run)."""
    root = static_dir() / "vendor"
    return [f"{name}@{spec['version']}/{file}" for name, spec in packages().items()
            for file in spec["files"]  # type: ignore[union-attr]
            if not (root / f"{name}@{spec['version']}" / file).is_file()]


def install(log=print) -> None:
    """Fetch every package of the manifest that is missing (``npm pack``), keep its listed files."""
    root = static_dir() / "vendor"
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch the front-end files (Debian: apt-get install npm)")
    for name, spec in packages().items():
        target = root / f"{name}@{spec['version']}"
        files: list[str] = spec["files"]  # type: ignore[assignment]
        if all((target / file).is_file() for file in files):
            continue
        log(f"fetching {name}@{spec['version']} from the npm registry")
        with tempfile.TemporaryDirectory() as work:
            out = subprocess.run([npm, "pack", f"{name}@{spec['version']}", "--silent"], cwd=work,
                                 check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            with tarfile.open(Path(work) / out) as archive:
                for file in files:
                    member = archive.extractfile(f"package/{file}")
                    if member is None:
                        raise SystemExit(f"{name}@{spec['version']} has no {file}")
                    (target / file).parent.mkdir(parents=True, exist_ok=True)
                    (target / file).write_bytes(member.read())


# strawberry's GraphiQL page loads these from unpkg.com; the page is rewritten to the local copies.
_UNPKG = "https://unpkg.com/"


def offline_graphiql_html(html: str) -> str:
    """strawberry's GraphiQL HTML with every ``https://unpkg.com/<pkg>@<ver>/<file>`` made local."""
    for name, spec in packages().items():
        prefix = f"{_UNPKG}{name}@{spec['version']}/"
        html = html.replace(prefix, f"{STATIC_URL}/{name}@{spec['version']}/")
    if _UNPKG in html:  # a strawberry upgrade changed a version: fail loudly in tests, not silently
        raise RuntimeError("GraphiQL page names an unpkg file missing from api/web/vendor.json")
    return html.replace("crossorigin\n", "\n").replace(" crossorigin ", " ")


if __name__ == "__main__":
    install()
    still = missing()
    if still:
        sys.exit(f"missing after install: {', '.join(still)}")
    print(f"front-end files in {static_dir() / 'vendor'}")
