"""The map's JavaScript and CSS, vendored or our own, and the step that inlines them into one file.

folium links every script and stylesheet from a CDN, so a saved map draws nothing offline. Here
each asset is linked by a placeholder address (``dateline-asset:leaflet/leaflet.js``) that names a
file under ``data/vendor/`` (third-party, pinned, with licences: see ``data/vendor/README.md``) or
``geo/render/web/`` (Dateline's own). :func:`inline_assets` replaces each link with the file's content and
each ``url(...)`` inside a stylesheet with a ``data:`` URI, so the saved page needs no request at
all; it refuses a page that still links anything remote. The dashboard maps the same placeholders
to locally served files instead (:func:`asset_path`).
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from pathlib import Path

from geo.errors import AssetError

__all__ = [
    "ASSET_SCHEME",
    "asset_url",
    "asset_path",
    "inline_assets",
    "data_uri",
    "served_url",
    "publish",
    "AssetError",
]

ROOT = Path(__file__).resolve().parents[2]
ASSET_DIRS = {"dateline": ROOT / "geo" / "render" / "web"}
VENDOR_DIR = ROOT / "data" / "vendor"
ASSET_SCHEME = "dateline-asset:"

_SCRIPT_LINK = re.compile(r'<script src="dateline-asset:([^"]+)"></script>')
_STYLE_LINK = re.compile(r'<link rel="stylesheet" href="dateline-asset:([^"]+)"\s*/?>')
_REMOTE = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["\']?(?:https?:)?//', re.I)
_PLACEHOLDER_LINK = re.compile(r'\b(?:src|href)\s*=\s*["\']?' + re.escape(ASSET_SCHEME) + r'[^"\'\s>]*', re.I)
_CSS_URL = re.compile(r'url\(\s*(["\']?)([^)"\']+)\1\s*\)')


def asset_url(name: str) -> str:
    """The placeholder address of an asset: ``leaflet/leaflet.js`` (vendored) or ``dateline/map.js``."""
    asset_path(name)  # fail early on a typo
    return ASSET_SCHEME + name


def asset_path(name: str) -> Path:
    """The file behind an asset name; AssetError if there is none."""
    package, _, rest = name.partition("/")
    base = ASSET_DIRS.get(package, VENDOR_DIR / package)
    path = (base / rest).resolve()
    if not rest or base.resolve() not in path.parents or not path.is_file():
        raise AssetError(f"no asset {name!r}")
    return path


def inline_assets(page: str) -> str:
    """The page with every placeholder-linked script and stylesheet inlined; AssetError if any
    script, stylesheet, image or frame still points at the network."""
    page = _SCRIPT_LINK.sub(lambda m: f"<script>{_script(m.group(1))}</script>", page)
    page = _STYLE_LINK.sub(lambda m: f"<style>{_stylesheet(m.group(1))}</style>", page)
    leftover = _REMOTE.search(page) or _PLACEHOLDER_LINK.search(page)
    if leftover:
        raise AssetError(f"the page still links {leftover.group(0)!r}")
    return page


def served_url(url: str, base: str) -> str:
    """A placeholder address as the address a web server gives the asset (``base`` + name), for
    pages that load assets instead of inlining them (the dashboard); other addresses unchanged."""
    return base + url[len(ASSET_SCHEME) :] if url.startswith(ASSET_SCHEME) else url


def publish(target: Path) -> Path:
    """Copy every shipped asset into ``target`` (the dashboard's static folder), each under its
    asset name; files already there and identical are left alone. Returns ``target``."""
    sources = [(package, folder) for package, folder in ASSET_DIRS.items()]
    sources += [(folder.name, folder) for folder in VENDOR_DIR.iterdir() if folder.is_dir()]
    for package, folder in sources:
        for file in folder.rglob("*"):
            copy = target / package / file.relative_to(folder)
            if file.is_file() and (not copy.is_file() or copy.read_bytes() != file.read_bytes()):
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(file.read_bytes())
    return target


@functools.cache
def data_uri(name: str) -> str:
    """A shipped image as a ``data:`` URI (for what a script, not a stylesheet, asks for)."""
    return _data_uri(asset_path(name))


def _data_uri(file: Path) -> str:
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


@functools.cache
def _script(name: str) -> str:
    # "</script" inside a script would end it early; "<\/" means the same to JavaScript.
    return asset_path(name).read_text(encoding="utf-8").replace("</script", "<\\/script")


@functools.cache
def _stylesheet(name: str) -> str:
    path = asset_path(name)

    def inline_url(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("#", "data:")):
            return match.group(0)
        if "//" in target:
            raise AssetError(f"{name} links {target!r}")
        file = (path.parent / target).resolve()
        if not file.is_file():
            raise AssetError(f"{name} links {target!r}, which is not shipped")
        return f'url("{_data_uri(file)}")'

    return _CSS_URL.sub(inline_url, path.read_text(encoding="utf-8")).replace("</style", "<\\/style")
