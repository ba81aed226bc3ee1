"""The dashboard's messages and corrections, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import socket
import sqlite3

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import geo.read.url
from geo.corrections import CorrectionStore, text_key
from geo.read.document import read_document
from geo.read.files import MAX_CHARS
from tests.conftest import REFERENCE_ARTICLE, REPO, SAMPLES

DASHBOARD = str(REPO / "dashboard.py")


@pytest.fixture()
def app(tmp_path, monkeypatch, full_gazetteer):
    """A fresh dashboard with its own correction store."""
    monkeypatch.setenv("DATELINE_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.run()
    return app


def paste(app: AppTest, text: str) -> AppTest:
    app.text_area(key="pasted").input(text)
    app.button(key="analyse_text").click().run()
    assert not app.exception, app.exception
    return app


def shown(markdown: object) -> str:
    """What a reader sees of Markdown whose punctuation the dashboard escaped."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")  # and the word joiners that stop autolinks


def messages(app: AppTest) -> str:
    return " | ".join(shown(item.value) for item in [*app.error, *app.warning, *app.info])


def html_blocks(app: AppTest, css_class: str) -> str:
    """The HTML the page shows in st.html blocks of this class (the event list, the fact check)."""
    return " ".join(block.proto.body for block in app.get("html") if f'class="{css_class}"' in block.proto.body)


def event_list(app: AppTest) -> str:
    """The page's list of every dated event (the first of its event tables; a place lists its own)."""
    return next(block.proto.body for block in app.get("html") if 'class="dateline-events"' in block.proto.body)


def place_labels(app: AppTest) -> list[str]:
    return [str(option) for option in app.selectbox(key="place_choice").options]


def pick(app: AppTest, label: str) -> None:
    """Choose the place whose label starts with ``label`` in the places panel."""
    index = next(i for i, option in enumerate(place_labels(app)) if option.startswith(label))
    app.selectbox(key="place_choice").select(place_labels(app)[index]).run()


def chosen_id(app: AppTest) -> str:
    """The id of the place the panel shows (its caption names it)."""
    return next(shown(c.value).split(" · ")[2] for c in app.caption if " · confidence " in str(c.value))


def test_the_empty_page_says_what_to_do(app):
    assert not app.exception and "Paste an article" in messages(app)


def test_the_hint_is_true_at_a_desktop_and_a_phone_width(app):
    """On a phone the side panel folds behind a "»": the page says where the inputs are at both
    widths, and never "the sidebar"."""
    empty = messages(app)
    paste(app, "Am Montag fuhr der Zug von Berlin nach Hamburg.")  # the missing-date message
    for page in (empty, messages(app)):
        assert "in the panel on the left (» at the top left on a phone)" in page
        assert "sidebar" not in page


def test_empty_text_gets_a_message_and_nothing_is_lost(app):
    paste(app, "   ")
    assert "Could not read the article" in messages(app) and "empty text" in messages(app)


def test_text_over_the_limit_gets_a_message_and_stays_in_the_box(app):
    huge = "Berlin. " * (MAX_CHARS // 8 + 10)
    paste(app, huge)
    assert "over the limit" in messages(app)
    assert app.text_area(key="pasted").value == huge


def test_a_refused_address_gets_a_message(app):
    app.text_input(key="url").input("http://127.0.0.1:9/secret")
    app.button(key="analyse_url").click().run()
    assert not app.exception and "not a public address" in messages(app)
    assert app.text_input(key="url").value == "http://127.0.0.1:9/secret"


def test_an_address_that_cannot_be_found_gets_a_message(app, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # the real fetch, with a resolver that finds nothing (no DNS query leaves the machine)
    monkeypatch.setattr(
        geo.read.url, "fetch_article", functools.partial(geo.read.url.fetch_article, resolver=no_such_host)
    )
    app.text_input(key="url").input("https://news.example/article")
    app.button(key="analyse_url").click().run()
    assert not app.exception and "cannot find the server news.example" in messages(app)
    assert app.text_input(key="url").value == "https://news.example/article"


def upload(app: AppTest, *files: tuple[str, bytes]) -> AppTest:
    app.file_uploader(key="uploaded").set_value([(name, data, "application/octet-stream") for name, data in files])
    return app.run()


def test_a_file_that_cannot_be_read_gets_a_message_and_stays_uploaded(app):
    upload(app, ("report.docx", b"not a zip archive at all"))
    app.button(key="analyse_file").click().run()
    assert not app.exception
    assert "Could not read the article: report.docx: cannot read this .docx file" in messages(app)
    assert [file.name for file in app.file_uploader(key="uploaded").value] == ["report.docx"]


def test_of_several_uploads_the_chosen_one_is_read(app):
    good = b"Am Montag reiste die Delegation von Berlin nach Warschau."
    upload(app, ("binary.txt", bytes(range(256)) * 8), ("good.txt", good))
    app.selectbox(key="upload_choice").select("binary.txt").run()
    app.button(key="analyse_file").click().run()
    assert "binary.txt: looks like a binary file, not text" in messages(app)
    app.selectbox(key="upload_choice").select("good.txt").run()
    app.button(key="analyse_file").click().run()
    assert not app.exception and {"Berlin", "Warschau"} <= {label.split(" (")[0] for label in place_labels(app)}


def test_an_article_without_places_says_so(app):
    paste(app, "Nobody went anywhere today, and nothing happened at all in the meeting.")
    assert "No place found" in messages(app)


def test_template_syntax_in_an_article_is_text(app):
    """The map's scripts pass through Jinja in folium and streamlit-folium: an article's {% ... %}
    must neither run nor break the page."""
    paste(app, "Am Montag fuhr der Zug von Berlin {{ 7*7 }} {% bad tag %} nach Hamburg. {# x #}")
    assert not app.exception
    assert {"Berlin", "Hamburg"} <= {label.split(" (")[0] for label in place_labels(app)}


def test_a_language_without_rules_is_named(app):
    paste(
        app,
        "Le président est arrivé à Paris hier soir. Il a rencontré le ministre et les journalistes "
        "devant le palais. La réunion a duré trois heures et les discussions ont été longues.",
    )
    assert "has rules for German and English" in messages(app)


def test_the_reference_article_is_analysed(app):
    paste(app, read_document(REFERENCE_ARTICLE).text)
    labels = place_labels(app)
    assert len(labels) == 9 and any(label.startswith("Wladiwostok") for label in labels)
    events = event_list(app)
    assert events.count("<tr data-row=") == 11 and "12. Sept. 2023" in events and "Wladiwostok" in events


def test_an_article_of_many_places_shows_the_distances_of_the_first_ones(app):
    """A thousand points would be a million geodesics on every click: the table and a place's
    "From here" line stop at SHOWN_DISTANCES."""
    cities = ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund"]
    cities += ["Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg", "Bochum", "Wuppertal", "Bielefeld"]
    cities += ["Bonn", "Münster", "Mannheim", "Karlsruhe", "Augsburg", "Wiesbaden", "Mönchengladbach", "Kiel"]
    cities += ["Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Zürich", "Genf", "Basel", "Bern", "Paris"]
    paste(app, "".join(f"Am Montag fuhr der Zug über {city} weiter. " for city in cities))
    table = app.dataframe[-1].value  # the Distances tab's table (AppTest keeps no key of a table without selection)
    assert table.shape == (30, 30)
    captions = " | ".join(shown(caption.value) for caption in app.caption)
    assert "between the first 30 of" in captions and "more" in captions.split("From here")[1]


def remove(app: AppTest, label: str) -> str:
    """Remove the place whose label starts with ``label``; returns its id."""
    pick(app, label)
    place_id = chosen_id(app)
    app.button(key=f"remove_{place_id}").click().run()
    assert not app.exception, app.exception
    return place_id


def store_bytes(tmp_path) -> bytes:
    """Everything the server wrote for corrections (the store and SQLite's files beside it)."""
    return b"".join(path.read_bytes() for path in sorted((tmp_path / "data").glob("corrections.sqlite*")))


def another_reader() -> AppTest:
    """A second browser session on the same server (the caches are the process's)."""
    other = AppTest.from_file(DASHBOARD, default_timeout=120)
    other.run()
    return other


def test_corrections_are_the_reader_s_own_and_nothing_is_written(app, tmp_path):
    text = read_document(REFERENCE_ARTICLE).text
    paste(app, text)
    remove(app, "Moskau")
    assert not any(label.startswith("Moskau") for label in place_labels(app))
    assert "in this browser session only" in " ".join(shown(c.value) for c in app.caption)
    assert "Pjöngjang".encode() not in store_bytes(tmp_path)  # no text on disk without the reader's say
    assert not app.query_params.get("doc") and not app.query_params.get("kept")
    other = paste(another_reader(), text)
    assert len(place_labels(other)) == 9 and not [b for b in other.button if b.key in ("undo", "forget")]
    other.query_params["doc"] = text_key(text)  # the text's key finds nothing of another reader's
    other.run()
    assert len(place_labels(app.run())) == 8 and len(place_labels(other)) == 9


def kept_after_removing(app: AppTest, label: str) -> tuple[str, str, str]:
    """Analyse the reference article, remove ``label`` and keep the correction on the server:
    (the text, the removed place's id, the private key)."""
    text = read_document(REFERENCE_ARTICLE).text
    paste(app, text)
    place_id = remove(app, label)
    app.button(key="keep_on_server").click().run()
    return text, place_id, app.query_params["kept"]


def test_corrections_kept_on_the_server_survive_a_reload_and_delete_leaves_no_text(app, tmp_path):
    text, place_id, key = kept_after_removing(app, "Moskau")
    assert key.startswith("private-") and "private address" in " ".join(shown(c.value) for c in app.caption)
    store = CorrectionStore(tmp_path / "data" / "corrections.sqlite")
    assert [(c.action, c.place) for c in store.load(key)] == [("remove", place_id)] and store.text(key) == text
    assert store.text(text_key(text)) is None
    # a reload: a new session that knows only the address
    st.cache_resource.clear()
    again = AppTest.from_file(DASHBOARD, default_timeout=120)
    again.query_params["kept"] = key
    again.run()
    assert not again.exception and len(place_labels(again)) == 8
    remove(again, "Wladiwostok")  # kept on the server too: the reader chose so for this article
    assert len(store.load(key)) == 2
    again.button(key="delete_from_server").click().run()
    assert store.text(key) is None and "Pjöngjang".encode() not in store_bytes(tmp_path)
    assert len(place_labels(again)) == 7  # the session keeps them
    guessed = another_reader()
    guessed.query_params["kept"] = key
    guessed.run()
    assert "Nothing is kept" in messages(guessed) and not [w for w in guessed.selectbox if w.key == "place_choice"]


def test_a_shared_workspace_shares_corrections_and_says_so(app, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_SHARED_WORKSPACE", "1")
    text = read_document(REFERENCE_ARTICLE).text
    paste(app, text)
    assert "Shared workspace" in messages(app)
    remove(app, "Moskau")
    other = paste(another_reader(), text)
    assert len(place_labels(other)) == 8 and "Corrections on this server are shared" in messages(other)
    other.button(key="undo").click().run()
    assert len(place_labels(app.run())) == 9
    remove(other, "Moskau")
    reloaded = another_reader()
    reloaded.query_params["doc"] = text_key(text)
    reloaded.run()
    assert len(place_labels(reloaded)) == 8


def test_every_way_in_stays_after_an_analysis(app):
    paste(app, "Am Montag fuhr der Zug von Berlin nach Hamburg.")
    samples = sorted(path.stem for path in SAMPLES.glob("*.txt"))
    assert [b.key for b in app.sidebar.button if b.key.startswith("sample_")] == [f"sample_{s}" for s in samples]
    assert app.file_uploader(key="uploaded") is not None and app.text_input(key="url") is not None
    app.button(key=f"sample_{samples[0]}").click().run()
    assert len([b for b in app.sidebar.button if b.key.startswith("sample_")]) == len(samples)
    assert shown(app.main.header[0].value) != "pasted text"


def test_the_text_tab_has_a_key_to_its_colours(app):
    """Each kind of mark in the text, once, in its own colour and named in words."""
    paste(app, "Am 3. März 2024 fuhr der Zug von Berlin nach Hamburg, quer durch Deutschland.")
    key = html_blocks(app, "dateline-colour-key")
    text = next(
        block.proto.body for block in app.get("html") if "<mark" in block.proto.body and block.proto.body != key
    )
    assert "a place: city" in key and "a place: country" in key and "a date" in key
    assert key.index("a place: city") < key.index("a date")  # places first, the date last
    marks = set(re.findall(r'<mark (class="[^"]+") (?:title="[^"]*" )?(style="[^"]+")>', text))
    assert set(re.findall(r'<mark (class="[^"]+") (style="[^"]+")>', key)) == marks  # the text's own colours
    assert "title=" not in key and "Berlin" not in key


def test_an_empty_address_is_asked_for(app):
    app.button(key="analyse_url").click().run()
    assert "Enter an address first" in messages(app) and "http" not in messages(app).split("https")[0]


PAYLOADS = ("![x](http://127.0.0.1:9/x.png)", "[click](http://evil.example)", "<img src=x onerror=alert(1)>")


def test_untrusted_strings_are_text(app):
    title = " ".join(PAYLOADS)
    paste(app, f"{title}\nAm Montag fuhr der Zug von Berlin nach Hamburg. {PAYLOADS[1]} ist kein Ort.")
    assert shown(app.main.header[0].value) == title
    app.text_input(key="add_words").input(PAYLOADS[1]).run()
    app.text_input(key="add_name").input("Berlin").run()
    app.button(key="add_place").click().run()
    assert not app.exception and any(label.startswith(PAYLOADS[1]) for label in place_labels(app))
    with_payloads = [
        str(element.value)
        for element in [*app.caption, *app.markdown, *app.error, *app.warning, *app.info, *app.header]
        if "evil" in str(element.value) or "onerror" in str(element.value)
    ]
    assert len(with_payloads) >= 3  # the heading, the place's caption and the "From here" line of another
    for markdown in with_payloads:  # every bracket, parenthesis, angle and bang escaped: no link, image or tag
        assert not re.search(r"(?<!\\)[\[\]()<!]", markdown), markdown


def _entry(**changes) -> dict:
    moscow_idaho = {"id": "geonames:5601538", "name": "Moscow", "lat": 46.73239, "lon": -117.00017}
    return {**moscow_idaho, "country": "US", "kind": "city", "population": 25060, "admin1": "ID", **changes}


MALFORMED = {  # an imported or kept correction that cannot be read -> what the message says
    "a number for words": ({"action": "add", "words": 42, "entry": _entry()}, "words must be text"),
    "latitude north": ({"action": "choose", "place": "x", "entry": _entry(lat="north")}, "entry.lat must be a number"),
    "latitude 1e308": ({"action": "choose", "place": "x", "entry": _entry(lat=1e308)}, "entry.lat must be a number"),
    "an entry that is a list": ({"action": "choose", "place": "x", "entry": [1, 2]}, "entry must be a JSON object"),
    "a place that is a number": ({"action": "remove", "place": 7}, "place must be text"),
    "a correction that is a string": ("remove Moskau", "a correction must be a JSON object"),
}


def undo_and_forget_are_there(app: AppTest) -> None:
    assert {"undo", "forget"} <= {button.key for button in app.button}
    app.button(key="undo").click().run()
    assert not app.exception


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_import_is_refused_with_its_reason_and_undo_stays(app, name):
    record, reason = MALFORMED[name]
    text = read_document(REFERENCE_ARTICLE).text
    paste(app, text)
    moscow = remove(app, "Moskau")
    edits = [{"action": "remove", "place": moscow}, record]
    content = json.dumps({"corrections": {"text_sha256": text_key(text), "edits": edits}}).encode()
    app.file_uploader(key="import").set_value([("story.json", content, "application/json")]).run()
    app.button(key="do_import").click().run()
    assert not app.exception and f"Could not import: correction 2: {reason}" in messages(app)
    assert len(place_labels(app)) == 8  # what was there stays
    undo_and_forget_are_there(app)
    assert len(place_labels(app)) == 9


def test_malformed_kept_corrections_are_skipped_with_their_reasons_in_later_sessions(app, tmp_path):
    text, moscow, key = kept_after_removing(app, "Moskau")
    records = [{"action": "remove", "place": moscow}, *(record for record, _ in MALFORMED.values())]
    with sqlite3.connect(tmp_path / "data" / "corrections.sqlite") as connection:  # as anyone who can write the file
        connection.execute("UPDATE documents SET corrections = ? WHERE key = ?", (json.dumps(records), key))
    connection.close()
    later = another_reader()
    later.query_params["kept"] = key
    later.run()
    assert not later.exception and len(place_labels(later)) == 8
    for number, (_, reason) in enumerate(MALFORMED.values(), 2):
        assert f"correction {number}: {reason}" in messages(later)
    undo_and_forget_are_there(later)
    assert len(place_labels(later)) == 9


def blocks(node) -> list:
    """Every element and block under ``node``, depth first."""
    children = list(getattr(node, "children", {}).values())
    return children + [below for child in children for below in blocks(child)]


def test_counts_and_missing_figures_read_as_a_sentence_would(app):
    paste(app, "Am Montag fuhr der Zug rund 500 Kilometer weit, von Berlin nach Hamburg.")
    status = next(block.label for block in blocks(app.main) if type(block).__name__ == "Status")
    assert status.startswith("Analysed: 2 places, 1 dated event, 1 leg, 1 checked distance"), status
    claims = html_blocks(app, "dateline-fact-check")
    assert "None" not in claims and "nan" not in claims  # a total travelled: no figure on the map
    assert "<td>–</td>" in claims


def test_a_pasted_text_is_titled_by_its_first_line_and_the_reader_can_retitle_it(app):
    paste(app, "\n  Zug nach Hamburg  \nAm Montag fuhr der Zug von Berlin nach Hamburg.")
    assert shown(app.main.header[0].value) == "Zug nach Hamburg"
    title = next(w for w in app.text_input if w.key.startswith("title_"))
    title.input("Die Reise").run()
    assert shown(app.main.header[0].value) == "Die Reise"


def test_a_missing_publication_date_is_told_beside_the_date_field(app):
    paste(app, "Am Montag fuhr der Zug von Berlin nach Hamburg.")
    assert "enter it in the Publication date field in the panel on the left" in messages(app)
    assert any("Publication date field" in shown(c.value) for c in app.sidebar.caption)
    assert "--published" not in messages(app)


def test_namesakes_are_told_apart_by_their_state_and_corrections_are_listed(app):
    paste(app, read_document(REFERENCE_ARTICLE).text)
    pick(app, "Moskau")
    place_id = chosen_id(app)
    app.text_input(key=f"search_{place_id}").input("Moscow").run()
    options = [str(option) for option in app.selectbox(key=f"found_{place_id}").options]
    assert any(option.startswith("Moscow, Idaho, US") for option in options), options
    app.button(key=f"remove_{place_id}").click().run()
    made = next(table.value for table in app.dataframe if "correction" in table.value.columns)
    assert list(made["correction"]) == ["Moskau: removed, no place"]
    assert "1 correction," in " ".join(shown(c.value) for c in app.caption)


def test_choosing_another_entry_moves_the_place_and_undo_brings_it_back(app):
    paste(app, read_document(REFERENCE_ARTICLE).text)
    pick(app, "Wladiwostok")
    place_id = chosen_id(app)
    app.text_input(key=f"search_{place_id}").input("Wladimir").run()
    app.button(key=f"replace_{place_id}").click().run()
    labels = place_labels(app)
    assert any("Vladimir" in label for label in labels) and not any("Vladivostok" in label for label in labels)
    app.button(key="undo").click().run()
    assert any("Vladivostok" in label for label in place_labels(app))


def test_a_changed_publication_date_reaches_the_timeline(app):
    import datetime

    paste(app, "Am Montag fuhr der Zug von Berlin nach Hamburg. (Jo Beispiel aus Berlin, 12.9.2023)")
    key = next(widget.key for widget in app.date_input if widget.key.startswith("published_"))
    app.date_input(key=key).set_value(datetime.date(2024, 1, 10)).run()
    assert not app.exception
    assert "2024-01-08" in html_blocks(app, "dateline-events")  # "am Montag" before the new date, not before 12.9.2023


def test_an_online_geocoder_adds_places_and_its_failure_is_a_note(app, monkeypatch):
    from tests.localserver import FakeService, served
    from tests.places.test_geocoders import ARTICLE, nominatim_answer

    app.selectbox(key="geocoder").select("nominatim").run()
    app.text_input(key="user_agent").input("dateline-tests/1.0 (tests@example.org)").run()
    with served(FakeService(nominatim_answer)) as nominatim:
        monkeypatch.setenv("DATELINE_GEOCODER_URLS", f"photon=http://127.0.0.1:1, nominatim={nominatim.url}")
        app.run()
        app.selectbox(key="geocoder_url").select(nominatim.url).run()
        paste(app, ARTICLE)
        assert any(label.startswith("Chassan") for label in place_labels(app)), place_labels(app)
        assert any("asked" in str(c.value) for c in app.sidebar.caption)
        nominatim.then(403, b"Access blocked")
        second = "Der Zug fuhr weiter nach Rason und dann nach Chassan."  # Rason: a question not cached yet
        paste(app, second)
    assert "offline index only" in messages(app) and "HTTP 403" in messages(app)
    assert any(label.startswith("Chassan") for label in place_labels(app))  # answered before: from the cache
    assert app.text_area(key="pasted").value == second  # nothing the user entered is lost


def test_public_nominatim_without_a_user_agent_says_why_and_stays_offline(app, monkeypatch):
    monkeypatch.delenv("DATELINE_USER_AGENT", raising=False)
    app.selectbox(key="geocoder").select("nominatim").run()
    paste(app, "Die Delegation reiste von Berlin nach Moskau.")
    assert "usage policy" in messages(app)
    assert any(label.startswith("Moskau") for label in place_labels(app))
    app.slider(key="min_confidence").set_value(0.1).run()  # a rerun, from the cache: the reason stays
    assert "usage policy" in messages(app)


def test_an_address_is_offered_for_its_own_service_only(app, monkeypatch):
    monkeypatch.setenv("DATELINE_GEOCODER_URLS", "photon=http://127.0.0.1:2322, nominatim=http://127.0.0.1:8080, x")
    app.run()
    app.selectbox(key="geocoder").select("photon").run()
    assert app.selectbox(key="geocoder_url").options == ["the public instance", "http://127.0.0.1:2322"]
    app.selectbox(key="geocoder").select("geonames").run()
    assert not [w for w in app.selectbox if w.key == "geocoder_url"]


def test_a_reader_cannot_name_an_address_for_the_server_to_ask(app, monkeypatch):
    monkeypatch.delenv("DATELINE_GEOCODER_URLS", raising=False)
    app.selectbox(key="geocoder").select("photon").run()
    assert not [w for w in app.text_input if w.key == "geocoder_url"]
    assert not [w for w in app.selectbox if w.key == "geocoder_url"]  # only what the operator lists


def test_the_languages_come_from_the_registry(app):
    from geo.lang import language, languages

    assert app.selectbox(key="language").options == ["detect", *(language(code).name for code in languages())]


def test_geonames_without_an_account_says_why_and_stays_offline(app, monkeypatch):
    monkeypatch.delenv("GEONAMES_USERNAME", raising=False)  # the operator's setting, read by the dashboard only
    app.selectbox(key="geocoder").select("geonames").run()
    paste(app, "Die Delegation reiste von Berlin nach Moskau.")
    assert "The online geocoder is not used" in messages(app) and "needs an account" in messages(app)
    assert any(label.startswith("Moskau") for label in place_labels(app))


def test_the_timeline_shows_dates_in_words_never_a_code_or_an_invented_day(app):
    from tests.render.timeline_codes import codes_shown

    paste(
        app,
        "Storm in Nome\n\nIn 2019 a storm hit Nome, Alaska. Years ago the town was bigger. On Monday the mayor spoke, and in the coming days crews will fly to Anadyr.",
    )
    tables = " ".join(frame.value.to_csv() for frame in app.dataframe) + html_blocks(app, "dateline-events")
    captions = " ".join(shown(item.value) for item in [*app.caption, *app.markdown])
    assert "2019" in tables and "in the past" in tables
    assert codes_shown(tables) == [] and codes_shown(captions) == []


def test_the_time_axis_shows_each_event_at_its_span_with_ticks_and_no_dash_row():
    import dashboard
    from geo import Options, analyse

    spec = dashboard.TIMELINE_CHART
    assert spec["encoding"]["x"]["axis"]["tickCount"] > 2
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "circle"]  # a span, a day
    document = read_document(REFERENCE_ARTICLE)
    frame = dashboard.event_chart_rows(
        analyse(document, Options(language=document.language, published=document.published))
    )
    month = frame[frame["when"] == "April 2019"].iloc[0]
    assert (month["start"], month["until"], bool(month["span"])) == ("2019-04-01", "2019-05-01", True)
    year = frame[frame["text"] == "vor vier Jahren"].iloc[0]
    assert (year["start"], year["until"], bool(year["span"])) == ("2019-01-01", "2020-01-01", True)
    day = frame[frame["when"] == "12. Sept. 2023"].iloc[0]
    assert (day["start"], day["until"], bool(day["span"])) == ("2023-09-12", "2023-09-13", False)
    assert "—" not in set(frame["places"]) and "—" not in set(frame["when"])


CLAIMS_ARTICLE = "Am Montag fuhr der Zug von Berlin nach Hamburg, das rund 250 Kilometer entfernt liegt."


def test_the_fact_check_lists_each_distance_with_its_places_figures_and_verdict(app):
    paste(app, CLAIMS_ARTICLE)
    rows = html_blocks(app, "dateline-fact-check")
    for column in ("from", "to", "in the text", "stated km", "on the map km", "reading", "verdict"):
        assert f"<th>{column}</th>" in rows
    assert "Berlin" in rows and "Hamburg" in rows and "250" in rows
    assert re.search(r"<td>[✓✗?] (consistent|inconsistent|unverifiable)</td>", rows), rows
    keys = {button.key for button in app.get("download_button")}
    assert {"download_fact_check_csv", "download_fact_check_html"} <= keys


def test_hostile_text_in_the_fact_check_and_the_event_list_stays_text(app):
    import dashboard
    from geo import Options, analyse
    from geo.read.document import document_from_text

    hostile = f"{PAYLOADS[2]} Am Montag fuhr der Zug von Berlin nach Hamburg, das rund 250 Kilometer entfernt liegt. {PAYLOADS[1]}"
    paste(app, hostile)
    shown_html = html_blocks(app, "dateline-fact-check") + html_blocks(app, "dateline-events")
    assert "<img" not in shown_html and "&lt;img src=x onerror=alert(1)&gt;" in shown_html
    story = analyse(document_from_text(hostile, title="<script>alert(1)</script>"), Options(language="de"))
    story = dataclasses.replace(
        story, claims=tuple(dataclasses.replace(c, text=f"{c.text} <b onclick=x>") for c in story.claims)
    )
    rows = dashboard.fact_check_rows(story)
    page = dashboard.fact_check_page("<script>alert(1)</script>", rows)
    assert "<script>" not in page and "<b onclick" not in page and "&lt;b onclick=x&gt;" in page
    assert "&lt;script&gt;" in page
    assert rows["in the text"].str.contains("<b onclick=x>").all()  # the CSV keeps the text as it is
    formula = dataclasses.replace(
        story, claims=tuple(dataclasses.replace(c, text="=HYPERLINK(1)") for c in story.claims)
    )
    assert "'=HYPERLINK(1)" in dashboard.fact_check_csv(dashboard.fact_check_rows(formula)).decode("utf-8-sig")


def test_story_mode_steps_through_the_events_in_date_order(app):
    from geo import Options, analyse
    from geo.render.eventlist import story_order

    document = read_document(REFERENCE_ARTICLE)
    story = analyse(document, Options(language=document.language, published=document.published))
    order = story_order(story)
    paste(app, document.text)
    assert app.button(key="story_back").disabled is False  # nothing picked yet: either way starts the story
    for step, row in enumerate(order[:3], start=1):
        app.button(key="story_forward").click().run()
        assert not app.exception, app.exception
        assert any(f"event {step} of {len(order)} in date order" in str(c.value) for c in app.caption)
        picked = html_blocks(app, "dateline-picked")
        assert story.events[row].label in picked and "<mark>" in picked
        assert f'<tr data-row="{row}" class="picked">' in event_list(app)
        assert app.selectbox(key="event_choice").value == row  # the choice follows the story
    starts = [story.events[row].start for row in order if story.events[row].start]
    assert starts == sorted(starts)  # the steps go forward in time
    app.button(key="story_back").click().run()
    assert f'<tr data-row="{order[1]}" class="picked">' in event_list(app)


def test_a_place_lists_its_dated_events(app):
    from geo import Options, analyse

    document = read_document(REFERENCE_ARTICLE)
    story = analyse(document, Options(language=document.language, published=document.published))
    paste(app, document.text)
    pick(app, "Wladiwostok")
    place = chosen_id(app)
    listed = [
        block.proto.body
        for block in app.get("html")
        if "dateline-events" in block.proto.body and block.proto.body.count("<tr data-row=") < len(story.events)
    ]
    rows = [int(row) for row in re.findall(r'<tr data-row="(\d+)"', listed[0])]
    assert rows == [row for row, event in enumerate(story.events) if place in event.places] and rows
    assert any(str(c.value) == f"Dated events here: {len(rows)}" for c in app.caption)


def test_story_mode_shows_an_article_s_sentence_as_text(app):
    paste(app, "Am 12. Mai 2024 fuhr der Zug <img src=x onerror=alert(1)> [x](http://evil.example) nach Berlin.")
    app.button(key="story_forward").click().run()
    picked = html_blocks(app, "dateline-picked")
    assert "<mark>Am 12. Mai 2024</mark>" in picked and "On the map: Berlin" in picked
    assert "<img" not in picked and "&lt;img src=x onerror=alert(1)&gt;" in picked
