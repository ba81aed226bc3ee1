"""The shipped web assets and the step that inlines them into a standalone page."""

from __future__ import annotations

import hashlib
import json

import pytest

from geo.render.assets import VENDOR_DIR, AssetError, asset_path, asset_url, inline_assets


def test_vendored_files_match_their_manifest():
    """data/vendor/ holds exactly what scripts/vendor_web_assets.py fetched: no file edited or lost."""
    manifest = json.loads((VENDOR_DIR / "manifest.json").read_text(encoding="utf-8"))
    for package, entry in manifest.items():
        assert "LICENSE" in entry["files"], package
        shipped = {str(p.relative_to(VENDOR_DIR / package)) for p in (VENDOR_DIR / package).rglob("*") if p.is_file()}
        assert shipped == set(entry["files"]), package
        for name, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR_DIR / package / name).read_bytes()).hexdigest() == digest, name


def test_scripts_and_stylesheets_are_inlined_with_their_images():
    page = (
        f'<head><script src="{asset_url("leaflet/leaflet.js")}"></script>'
        f'<link rel="stylesheet" href="{asset_url("leaflet/leaflet.css")}"/></head>'
    )
    inlined = inline_assets(page)
    assert "dateline-asset:" not in inlined
    assert "L.version" not in page and "leaflet" in inlined and inlined.count("<script>") == 1
    assert 'url("data:image/png;base64,' in inlined  # the layer control's icon
    assert "url(images/" not in inlined


def test_a_script_cannot_end_its_own_tag_early(tmp_path, monkeypatch):
    from geo.render import assets as webassets

    (tmp_path / "evil.js").write_text('var s = "</script><script>alert(1)</script>";', encoding="utf-8")
    monkeypatch.setitem(webassets.ASSET_DIRS, "test", tmp_path)
    webassets._script.cache_clear()
    inlined = inline_assets(f'<script src="{asset_url("test/evil.js")}"></script>')
    assert inlined.count("</script>") == 1 and "<\\/script>" in inlined


@pytest.mark.parametrize(
    "page",
    [
        '<script src="https://cdn.example.org/leaflet.js"></script>',
        '<link rel="stylesheet" href="//cdn.example.org/x.css"/>',
        '<img src="http://example.org/x.png">',
        '<script src="dateline-asset:leaflet/missing.js"></script>',
    ],
)
def test_a_page_that_still_needs_the_network_is_refused(page):
    with pytest.raises(AssetError):
        inline_assets(page)


@pytest.mark.parametrize(
    "name", ["leaflet/../../README.md", "leaflet/", "nothing/here.js", "../geo/render/storymap.py"]
)
def test_asset_names_stay_inside_their_folders(name):
    with pytest.raises(AssetError):
        asset_path(name)


def test_article_text_that_names_the_placeholder_scheme_is_only_text():
    assert inline_assets("<p>see dateline-asset:leaflet/x.js in the text</p>").startswith("<p>see")
