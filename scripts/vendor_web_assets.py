"""Vendor the map's web assets from the npm registry into data/vendor/ (a developer's step, not set-up).

The standalone maps must open without any network, so Leaflet, its plugins (measure; marker
clusters and heat for the corpus map) and the Natural Earth outlines live in the repository with
their licences. This script fetches the pinned package versions with ``npm pack``, copies the files
the maps use, and writes ``data/vendor/manifest.json``
(package, version, licence, and each file's SHA-256, which a test checks). Run it again after
changing a version below:

    python scripts/vendor_web_assets.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "data" / "vendor"

PACKAGES = {
    # name: (version, licence, files under the package root; a pair renames: every folder has its LICENSE)
    "leaflet": (
        "1.9.4",
        "BSD-2-Clause",
        [
            "LICENSE",
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ],
    ),
    "leaflet-measure": (
        "3.1.0",
        "MIT",
        [
            "LICENSE",
            "dist/leaflet-measure.js",
            "dist/leaflet-measure.css",
            *(
                f"dist/assets/{name}{scale}.png"
                for name in ("cancel", "check", "focus", "start", "trash", "rulers")
                for scale in ("", "_@2X")
            ),
        ],
    ),
    "world-atlas": ("2.0.2", "ISC (data: Natural Earth, public domain)", ["LICENSE", "countries-110m.json"]),
    # the corpus map (geo/render/corpusmap.py): clustered markers and a heat layer
    "leaflet.markercluster": (
        "1.5.3",
        "MIT",
        [
            ("MIT-LICENCE.txt", "LICENSE"),
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
        ],
    ),
    # the package.json names no licence; its LICENSE is BSD-2-Clause, and so is simpleheat, built into the script
    "leaflet.heat": ("0.2.0", "BSD-2-Clause", ["LICENSE", "dist/leaflet-heat.js"]),
}


def vendor() -> dict:
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, licence, files) in PACKAGES.items():
            subprocess.run(
                ["npm", "pack", "--silent", f"{name}@{version}"], cwd=tmp, check=True, stdout=subprocess.DEVNULL
            )
            archive = next(Path(tmp).glob(f"{name}-{version}.tgz"))
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(archive) as tar:
                for member in files:
                    source, shipped = member if isinstance(member, tuple) else (member, member.removeprefix("dist/"))
                    data = tar.extractfile(f"package/{source}").read()
                    path = target / shipped
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
            manifest[name] = {
                "version": version,
                "licence": licence,
                "files": {
                    str(path.relative_to(target)): hashlib.sha256(path.read_bytes()).hexdigest()
                    for path in sorted(target.rglob("*"))
                    if path.is_file()
                },
            }
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    for package, entry in vendor().items():
        print(f"{package} {entry['version']}: {len(entry['files'])} files")
