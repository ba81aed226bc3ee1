"""The dashboard's messages and corrections, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import functools
import socket

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import geo.read.url
from geo.corrections import CorrectionStore, text_key
from geo.read.document import read_document
from geo.read.files import MAX_CHARS
from tests.conftest import REFERENCE_ARTICLE, REPO

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


def messages(app: AppTest) -> str:
    return " | ".join(str(item.value) for item in [*app.error, *app.warning, *app.info])


def place_labels(app: AppTest) -> list[str]:
    return [str(option) for option in app.selectbox(key="place_choice").options]


def pick(app: AppTest, label: str) -> None:
    """Choose the place whose label starts with ``label`` in the places panel."""
    index = next(i for i, option in enumerate(place_labels(app)) if option.startswith(label))
    app.selectbox(key="place_choice").select(place_labels(app)[index]).run()


def chosen_id(app: AppTest) -> str:
    """The id of the place the panel shows (its caption names it)."""
    return next(str(c.value).split(" · ")[2] for c in app.caption if " · confidence " in str(c.value))


def test_the_empty_page_says_what_to_do(app):
    assert not app.exception and "Paste an article" in messages(app)


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
    assert app.dataframe(key="events") is not None


def test_an_article_of_many_places_shows_the_distances_of_the_first_ones(app):
    """A thousand points would be a million geodesics on every click: the table and a place's
    "From here" line stop at SHOWN_DISTANCES."""
    cities = ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund"]
    cities += ["Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg", "Bochum", "Wuppertal", "Bielefeld"]
    cities += ["Bonn", "Münster", "Mannheim", "Karlsruhe", "Augsburg", "Wiesbaden", "Mönchengladbach", "Kiel"]
    cities += ["Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Zürich", "Genf", "Basel", "Bern", "Paris"]
    paste(app, "".join(f"Am Montag fuhr der Zug über {city} weiter. " for city in cities))
    shown = app.dataframe[-1].value  # the Distances tab's table (AppTest keeps no key of a table without selection)
    assert shown.shape == (30, 30)
    captions = " | ".join(str(caption.value) for caption in app.caption)
    assert "between the first 30 of" in captions and "more" in captions.split("From here")[1]


def test_a_correction_is_kept_and_survives_a_reload(app, tmp_path):
    text = read_document(REFERENCE_ARTICLE).text
    paste(app, text)
    pick(app, "Moskau")
    place_id = chosen_id(app)
    app.button(key=f"remove_{place_id}").click().run()
    assert not any(label.startswith("Moskau") for label in place_labels(app))
    kept = CorrectionStore(tmp_path / "data" / "corrections.sqlite").load(text_key(text))
    assert [(c.action, c.place) for c in kept] == [("remove", place_id)]
    # a reload: a new session that knows only the address
    st.cache_resource.clear()
    again = AppTest.from_file(DASHBOARD, default_timeout=120)
    again.query_params["doc"] = text_key(text)
    again.run()
    assert not again.exception and len(place_labels(again)) == 8
    assert not any(label.startswith("Moskau") for label in place_labels(again))


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
    events = app.dataframe(key="events").value
    assert "2024-01-08" in list(events["value"])  # "am Montag" before the new date, not before 12.9.2023


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
