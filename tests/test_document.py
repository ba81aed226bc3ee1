"""Tests for geo.read.document (reading articles) and geo.lang.rulefiles (its rule files)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from geo.read import document
from geo.lang import add_data_dir, cldr, remove_data_dir, rulefiles as langdata
from geo.read.document import (
    Document,
    DocumentError,
    decode_bytes,
    detect_language,
    document_from_html,
    document_from_text,
    find_dateline_date,
    read_document,
    split_sentences,
)

D = datetime.date

# Written for these tests (facts of the seed article, sentences our own).
GERMAN = (
    "Kims Panzerzug erreicht Wladiwostok\n\n"
    "Der gepanzerte Sonderzug von Kim Jong-un ist am 12. September 2023 in Russland eingetroffen. "
    "Die Fahrt von Pjöngjang dauerte rund zwei Tage, z. B. wegen der langsamen Strecke. "
    "Nach Moskau wären es etwa 6500 Kilometer gewesen.\n\n"
    "Im April 2019 hatte Kim schon einmal Wladiwostok besucht. "
    "Im August war der russische Verteidigungsminister in Pjöngjang. "
    "(Jo Beispiel aus Moskau, 12.9.2023)"
)
ENGLISH = (
    "Kim's armoured train reaches Vladivostok\n\n"
    "North Korean leader Kim Jong-un arrived in Russia on Tuesday after a slow journey from Pyongyang. "
    "U.S. officials have warned against any arms deal between the two countries. "
    "Moscow is about 6,500 kilometres away, so the leaders met in the Far East instead."
)
FRENCH = (
    "Le train blindé du dirigeant nord-coréen est arrivé à Vladivostok après un long voyage. "
    "Les deux dirigeants doivent parler de coopération militaire et de l'approvisionnement en munitions."
)


def sentences_of(text: str, language: str = "de") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ------------------------------------------------------------------ encodings

UMLAUTS = "Grüße aus Köln: „Die Straße ist gesperrt“, sagte die Ärztin.\n"


@pytest.mark.parametrize(
    "encoded",
    [
        UMLAUTS.encode("utf-8"),
        b"\xef\xbb\xbf" + UMLAUTS.encode("utf-8"),
        b"\xff\xfe" + UMLAUTS.encode("utf-16-le"),
        b"\xfe\xff" + UMLAUTS.encode("utf-16-be"),
        UMLAUTS.encode("utf-16-le"),  # no BOM
        UMLAUTS.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom", "cp1252"],
)
def test_decode_bytes_encodings(encoded: bytes) -> None:
    assert decode_bytes(encoded) == UMLAUTS


def test_decode_bytes_latin1_french() -> None:
    text = "Le café à Genève: très réputé, où l'été est doux. Grüße!"
    assert decode_bytes(text.encode("latin-1")) == text


def test_decode_bytes_short_cp1252_word() -> None:
    assert decode_bytes("Schöne Grüße".encode("cp1252")) == "Schöne Grüße"


def test_decode_bytes_cyrillic_cp1251_is_not_read_as_cp1252() -> None:
    text = "Поезд Ким Чен Ына прибыл во Владивосток после долгой поездки из Пхеньяна."
    assert decode_bytes(text.encode("cp1251")) == text


def test_decode_bytes_bad_utf16_bom_is_reported() -> None:
    with pytest.raises(DocumentError, match="UTF-16"):
        decode_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate


def test_read_document_utf16_file_and_crlf(tmp_path: Path) -> None:
    data = "\ufeffErster Satz.\r\nZweiter Satz.\r\n".encode("utf-16-le")
    doc = read_document(write(tmp_path, "a.txt", data), language="de")
    assert doc.text == "Erster Satz.\nZweiter Satz.\n"
    assert sentences_of(doc.text) == ["Erster Satz.", "Zweiter Satz."]


def test_text_is_kept_as_given_so_spans_index_the_input() -> None:
    decomposed = "Ko\u0308ln liegt am Rhein."
    doc = document_from_text(decomposed, language="de")
    assert doc.text == decomposed


# ------------------------------------------------------------------ bad input


def test_binary_file_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    with pytest.raises(DocumentError, match=r"a\.txt: looks like a binary file, not text"):
        read_document(path)


def test_control_characters_rejected_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "a.dat", bytes(range(1, 32)) * 10)
    with pytest.raises(DocumentError, match="binary"):
        read_document(path)


@pytest.mark.parametrize("content", ["", "   \n\t\n  "])
def test_empty_file_rejected(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "article.txt", content)
    with pytest.raises(DocumentError, match=r"^.*article\.txt: empty text$"):
        read_document(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"article\.txt: file not found$"):
        read_document(tmp_path / "article.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory$"):
        read_document(tmp_path)


def test_nul_in_path_is_a_clear_error() -> None:
    with pytest.raises(DocumentError, match="^bad.name.txt: "):
        read_document("bad\x00name.txt")


def test_utf32_bom() -> None:
    assert decode_bytes("\ufeffKöln".encode("utf-32-le")) == "Köln"


def test_over_size_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(document, "MAX_CHARS", 1_000)
    with pytest.raises(DocumentError, match=r"^1,234 characters is over the limit of 1,000$"):
        document_from_text("x" * 1_234)
    path = write(tmp_path, "big.txt", "Ein Satz. " * 200)
    with pytest.raises(DocumentError, match=r"big\.txt: 2,000 characters is over the limit of 1,000"):
        read_document(path)
    assert document_from_text("y" * 1_000).text == "y" * 1_000


def test_over_size_file_refused_before_reading(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(document, "MAX_CHARS", 10)
    with pytest.raises(DocumentError, match="bytes is over the file size limit"):
        read_document(write(tmp_path, "big.html", "<p>" + "x" * 200 + "</p>"))


def test_empty_text_and_error_is_one_line() -> None:
    with pytest.raises(DocumentError) as caught:
        document_from_text(" \n ", source="story-17")
    assert str(caught.value) == "story-17: empty text"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("bad", ["12.9.2023", "2023-02-30", "2023-9-12", "yesterday"])
def test_bad_published_string(bad: str) -> None:
    with pytest.raises(DocumentError, match="YYYY-MM-DD"):
        document_from_text("Ein Satz.", published=bad)


@pytest.mark.parametrize("bad", ["german", "deu", "", "d"])
def test_bad_language_option(bad: str) -> None:
    with pytest.raises(DocumentError, match="two-letter"):
        document_from_text("Ein Satz.", language=bad)


def test_language_option_forces_and_lowercases() -> None:
    assert document_from_text(ENGLISH, language="DE").language == "de"
    assert document_from_text(GERMAN, language="fr").language == "fr"


# ------------------------------------------------------------------ HTML, Markdown, files

HTML = """<!DOCTYPE html>
<html><head><title>Kims Zug in Wladiwostok</title>
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>var tracking = "SCRIPT-SECRET";</script>
<style>p { color: red } /* STYLE-SECRET */</style>
</head><body>
<h1>Kims Zug in Wladiwostok</h1>
<p>Der gepanzerte Zug fuhr am Dienstag in Pjöngjang ab. Er erreichte Wladiwostok nach zwei Tagen.</p>
<script>document.write("SCRIPT-INLINE");</script>
<p>Die Strecke ist rund 1200 Kilometer lang und führt über Chassan. (dpa, 03.10.2024)</p>
</body></html>"""


def test_html_with_metadata() -> None:
    doc = document_from_html(HTML, source="kim.html")
    assert doc.title == "Kims Zug in Wladiwostok"
    assert doc.published == D(2024, 3, 5) and doc.published_source == "metadata"
    assert "Er erreichte Wladiwostok nach zwei Tagen." in doc.text
    assert "Chassan" in doc.text
    assert "SCRIPT" not in doc.text and "STYLE" not in doc.text and "color" not in doc.text
    assert not doc.text.startswith("Kims Zug in Wladiwostok\n")  # the title is not prepended
    assert doc.language == "de" and doc.source == "kim.html"


def test_html_without_metadata_uses_dateline(tmp_path: Path) -> None:
    html = (
        "<html><body><p>BERLIN, 5. März 2024 – Die Regierung hat am Dienstag neue Regeln "
        "für den Bahnverkehr nach Polen beschlossen. Sie gelten ab Juni.</p></body></html>"
    )
    doc = read_document(write(tmp_path, "a.htm", html))
    assert doc.published == D(2024, 3, 5) and doc.published_source == "dateline"
    assert doc.text.startswith("BERLIN, 5. März 2024 – Die Regierung")


def test_html_fallback_to_visible_text() -> None:
    html = "<html><body><script>var x = 'HIDDEN';</script><div>Kurz.</div><div>Berlin.</div></body></html>"
    body = document._visible_text(html)
    assert "HIDDEN" not in body and "Kurz." in body and "Berlin." in body
    doc = document_from_html(html)
    assert "HIDDEN" not in doc.text and "Berlin." in doc.text


def test_xhtml_with_xml_declaration() -> None:
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>T</title></head><body><p>Kurz in Minsk.</p></body></html>"
    )
    assert "Kurz in Minsk." in document._visible_text(xhtml)
    assert document_from_html(xhtml, language="de").text == "Kurz in Minsk."


def test_html_empty_body_is_empty_text() -> None:
    with pytest.raises(DocumentError, match="empty text"):
        document_from_html("<html><head><title>Nur Titel</title></head><body></body></html>")


def test_unknown_suffix_sniffed_as_html(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.php", HTML))
    assert "SCRIPT" not in doc.text and doc.published_source == "metadata"


def test_unknown_suffix_plain_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "notes", "Kyiv, 11 January 2025\n\nThe mayor spoke on Monday."))
    assert doc.published == D(2025, 1, 11) and doc.source == "notes"


def test_markdown_file(tmp_path: Path) -> None:
    markdown = (
        "---\ntitle: Kims Reise\ndate: 2023-09-13\n---\n"
        "# Der Zug nach Wladiwostok\n\n"
        "Kim fuhr mit dem **Panzerzug** von [Pjöngjang](https://example.org/p) los.\n"
        "- Erste Station: Tumangang\n- Zweite Station: Chassan\n"
    )
    doc = read_document(write(tmp_path, "kim.md", markdown))
    assert sentences_of(doc.text) == [
        "Der Zug nach Wladiwostok",
        "Kim fuhr mit dem Panzerzug von Pjöngjang los.",
        "Erste Station: Tumangang",
        "Zweite Station: Chassan",
    ]
    assert doc.title == "Kims Reise"
    assert doc.published == D(2023, 9, 13) and doc.published_source == "metadata"
    assert "https" not in doc.text and "**" not in doc.text


def test_read_text_file(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kim.txt", GERMAN))
    assert doc.text == GERMAN and doc.language == "de" and doc.source == "kim.txt"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


# ------------------------------------------------------------------ language


@pytest.mark.parametrize("text, expected", [(GERMAN, "de"), (ENGLISH, "en"), (FRENCH, "fr")])
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    assert document_from_text(text).language == expected


def test_detect_language_short_texts() -> None:
    assert detect_language("Grüße aus Köln") == "de"
    assert detect_language("Hello from London") == "en"
    assert detect_language("12.9.2023 - 45") == "en"  # nothing to go on: documented default
    assert detect_language("Поезд прибыл во Владивосток") == "ru"  # short, but not Latin script


# ------------------------------------------------------------------ sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Er kam am 12. September 2023 an. Dann fuhr er weiter.", ["Er kam am 12. September 2023 an.", "Dann fuhr er weiter."]),
        ("Es war der 70. Jahrestag. Im 19. Jahrhundert war das anders.", ["Es war der 70. Jahrestag.", "Im 19. Jahrhundert war das anders."]),
        ("Er kam am 12.9.2023 an. Er blieb bis 14. 9. 2023.", ["Er kam am 12.9.2023 an.", "Er blieb bis 14. 9. 2023."]),
        ("Das gilt z. B. für Nr. 12 und Dr. Meier. Ende.", ["Das gilt z. B. für Nr. 12 und Dr. Meier.", "Ende."]),
        ("Das gilt z.B. für bzw. ca. 20 Orte in St. Petersburg.", ["Das gilt z.B. für bzw. ca. 20 Orte in St. Petersburg."]),
        ("Z. B. kam er. Er ging.", ["Z. B. kam er.", "Er ging."]),
        ("Er las J. R. R. Tolkien. Sie nicht.", ["Er las J. R. R. Tolkien.", "Sie nicht."]),
        ("Der Zug fuhr 6.5 Stunden bzw. 3,5 Tage. Das ist lang.", ["Der Zug fuhr 6.5 Stunden bzw. 3,5 Tage.", "Das ist lang."]),
        ("Wer kommt? Niemand! Wirklich?! Ja.", ["Wer kommt?", "Niemand!", "Wirklich?!", "Ja."]),
        ("„Wir kommen wieder.“ Dann ging er.", ["„Wir kommen wieder.“", "Dann ging er."]),
        ("„Kommst du?“, fragte sie. Er nickte.", ["„Kommst du?“, fragte sie.", "Er nickte."]),
        ("Er sagte (leise). Dann schwieg er.", ["Er sagte (leise).", "Dann schwieg er."]),
        ("„Wir werden … sehen“, sagte er. Gut.", ["„Wir werden … sehen“, sagte er.", "Gut."]),
        ("„Das ist … Wahnsinn“, rief er.", ["„Das ist … Wahnsinn“, rief er."]),
        ("„Mal sehen …“ Dann ging er.", ["„Mal sehen …“", "Dann ging er."]),
        ("Er kürzte (…) den Text. Gut.", ["Er kürzte (…) den Text.", "Gut."]),
        ("Er ging. 2019 kam er zurück.", ["Er ging.", "2019 kam er zurück."]),
        ("Die Kosten: 5 Mio. Euro. Mehr nicht.", ["Die Kosten: 5 Mio. Euro.", "Mehr nicht."]),
        ("Er wohnt in Haus Nr. 12. Sie auch.", ["Er wohnt in Haus Nr. 12.", "Sie auch."]),
    ],
)
def test_split_sentences_german(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "de") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("U.S. officials met George W. Bush. He left.", ["U.S. officials met George W. Bush.", "He left."]),
        ("Gov. Beshear of Ky. spoke. Mr. Smith did not.", ["Gov. Beshear of Ky. spoke.", "Mr. Smith did not."]),
        ("It rose to 12. Officials said so.", ["It rose to 12.", "Officials said so."]),
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
        ("They came on Jan. 5 at 9 a.m. and left.", ["They came on Jan. 5 at 9 a.m. and left."]),
        ("Food, tents etc. The rest came later.", ["Food, tents etc.", "The rest came later."]),
    ],
)
def test_split_sentences_english(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "en") == expected


def test_numbered_list_items_are_not_sentences_of_their_own() -> None:
    text = "Two stops:\n1. Tumangang station\n2. Khasan station"
    assert sentences_of(text, "en") == ["Two stops:", "1. Tumangang station", "2. Khasan station"]


def test_headlines_and_paragraphs_split() -> None:
    text = "Kim fährt nach Russland\nDer Zug fuhr los. Er kam an\n\n  Zweiter Absatz ohne Punkt  \n\nDritter."
    assert sentences_of(text) == [
        "Kim fährt nach Russland",
        "Der Zug fuhr los.",
        "Er kam an",
        "Zweiter Absatz ohne Punkt",
        "Dritter.",
    ]


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "Kim Jong-un traf am Mittwoch auf dem Weltraumbahnhof Wostotschny ein, wo\n"
        "Präsident Wladimir Putin ihn erwartete. Die beiden sprachen mehrere Stunden\n"
        "miteinander über die Zusammenarbeit ihrer Länder und über Waffenlieferungen.\n"
        "Danach reiste Kim weiter."
    )
    assert sentences_of(text) == [
        "Kim Jong-un traf am Mittwoch auf dem Weltraumbahnhof Wostotschny ein, wo\n"
        "Präsident Wladimir Putin ihn erwartete.",
        "Die beiden sprachen mehrere Stunden\nmiteinander über die Zusammenarbeit ihrer Länder und über Waffenlieferungen.",
        "Danach reiste Kim weiter.",
    ]


def test_line_break_after_ordinal_at_line_end_of_short_lines_splits() -> None:
    assert sentences_of("Stand: 14. \nDer Tag", "de") == ["Stand: 14.", "Der Tag"]


def test_unknown_language_uses_union_of_abbreviations() -> None:
    text = "Le Dr. Martin et les U.S. Marines, z. B. à Vladivostok. Fin."
    assert sentences_of(text, "fr") == ["Le Dr. Martin et les U.S. Marines, z. B. à Vladivostok.", "Fin."]


@pytest.mark.parametrize("text", [GERMAN, ENGLISH, FRENCH, "  \n Ein Satz. \n\n  Noch einer!  \n", "a", "...", "„…“"])
def test_sentence_spans_stripped_ordered_and_within_bounds(text: str) -> None:
    spans = split_sentences(text, "de")
    assert spans
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    covered = "".join(text[start:end] for start, end in spans)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but whitespace is left out


def test_sentences_of_document_and_sentence_at() -> None:
    doc = document_from_text(GERMAN)
    assert [doc.text[s:e] for s, e in doc.sentences][:3] == [
        "Kims Panzerzug erreicht Wladiwostok",
        "Der gepanzerte Sonderzug von Kim Jong-un ist am 12. September 2023 in Russland eingetroffen.",
        "Die Fahrt von Pjöngjang dauerte rund zwei Tage, z. B. wegen der langsamen Strecke.",
    ]
    assert doc.text[slice(*doc.sentences[-1])] == "(Jo Beispiel aus Moskau, 12.9.2023)"
    offset = doc.text.index("Pjöngjang")
    assert doc.sentence_at(offset) == doc.sentences[2]
    assert doc.sentence_at(0) == doc.sentences[0]
    gap = doc.sentences[1][1]  # the space after a sentence belongs to the one before
    assert doc.sentence_at(gap) == doc.sentences[1]
    assert doc.sentence_at(len(doc.text)) == doc.sentences[-1]
    with pytest.raises(ValueError):
        doc.sentence_at(-1)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_abbreviation_file_examples(lang: str) -> None:
    """The EXAMPLE lines in data/<lang>/abbreviations.txt: ' | ' marks each expected boundary."""
    path = langdata.DATA_DIR / lang / "abbreviations.txt"
    examples = [
        line.split(":", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("# EXAMPLE:", "# EXAMPLE ("))
    ]
    assert len(examples) >= 4
    for example in examples:
        expected = example.split(" | ")
        assert sentences_of(" ".join(expected), lang) == expected


# ------------------------------------------------------------------ datelines


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Er reiste ab. Sie blieb. (Jo Beispiel aus Moskau, 12.9.2023)", "de", D(2023, 9, 12)),
        ("Der Zug kam an. (dpa, 03.10.2024)", "de", D(2024, 10, 3)),
        ("Kyiv, 11 January 2025\n\nThe mayor said the city was calm.", "en", D(2025, 1, 11)),
        ("BERLIN, 5. März 2024 – Der Kanzler sprach im Bundestag.", "de", D(2024, 3, 5)),
        ("BERLIN, 5. Maerz 2024 – Der Kanzler sprach.", "de", D(2024, 3, 5)),
        ("Published June 9, 2025\n\nThe train left Pyongyang.", "en", D(2025, 6, 9)),
        ("By Jo Smith\nSept. 9, 2024, 10:32 AM EDT\nThe train left.", "en", D(2024, 9, 9)),
        ("Stand: 14.02.2024 10:15 Uhr\n\nDer Zug fuhr ab.", "de", D(2024, 2, 14)),
        ("Updated: 2025-06-09\nThe train left.", "en", D(2025, 6, 9)),
        ("2025-06-09T10:00:00Z\nThe train left.", "en", D(2025, 6, 9)),
        ("Der Zug fuhr ab. (ae, 12.9.23)", "de", D(2023, 9, 12)),
        ("WASHINGTON (AP) — The president spoke on Monday.", "en", None),
        ("Am 12. September 2023 traf Kim in Wladiwostok ein.", "de", None),
        ("On June 5, 2025, the president flew to Kyiv.", "en", None),
        ("Stand: 31.02.2024\nDer Zug fuhr ab.", "de", None),
        ("Der Zug fuhr ab. (dpa, 31.2.2024)", "de", None),
        ("Ein Text ganz ohne Datum.", "de", None),
        ("Kyiv, 11 January 2025\n\nThe mayor spoke.", "fr", D(2025, 1, 11)),  # unknown language: de+en months
    ],
)
def test_find_dateline_date(text: str, lang: str, expected: D | None) -> None:
    assert find_dateline_date(text, lang) == expected


def test_dateline_only_near_start_or_end() -> None:
    middle = "Ein Satz. " * 60 + "\nStand: 14.02.2024\n" + "Noch ein Satz. " * 60
    assert find_dateline_date(middle, "de") is None
    assert find_dateline_date(middle + "(dpa, 03.10.2024)", "de") == D(2024, 10, 3)


def test_dateline_end_parenthesis_preferred_to_start() -> None:
    text = "Stand: 14.02.2024\n\nDer Zug fuhr ab. (Jo Beispiel aus Moskau, 12.9.2023)"
    assert find_dateline_date(text, "de") == D(2023, 9, 12)


# ------------------------------------------------------------------ publication precedence


def test_published_precedence_option_over_metadata_over_dateline() -> None:
    assert document_from_html(HTML, published="2020-01-02").published_source == "option"
    assert document_from_html(HTML, published=D(2020, 1, 2)).published == D(2020, 1, 2)
    metadata = document_from_html(HTML)  # the text also has a dateline (03.10.2024)
    assert (metadata.published, metadata.published_source) == (D(2024, 3, 5), "metadata")
    no_meta = document_from_html(HTML.replace('<meta property="article:published_time" content="2024-03-05T10:00:00Z">', ""))
    assert (no_meta.published, no_meta.published_source) == (D(2024, 10, 3), "dateline")


def test_published_precedence_plain_text() -> None:
    option = document_from_text(GERMAN, published="2023-09-13")
    assert (option.published, option.published_source) == (D(2023, 9, 13), "option")
    assert document_from_text(GERMAN, published=datetime.datetime(2023, 9, 14, 8, 0)).published == D(2023, 9, 14)
    dateline = document_from_text(GERMAN)
    assert (dateline.published, dateline.published_source) == (D(2023, 9, 12), "dateline")
    none = document_from_text(ENGLISH)
    assert (none.published, none.published_source) == (None, "none")


def test_document_fields() -> None:
    doc = document_from_text(ENGLISH, source="kim-en", title="Kim's train")
    assert isinstance(doc, Document)
    assert (doc.source, doc.title, doc.language) == ("kim-en", "Kim's train", "en")
    with pytest.raises(AttributeError):
        doc.language = "de"  # type: ignore[misc]


# ------------------------------------------------------------------ language data files


@pytest.mark.parametrize("lang", cldr.languages())
@pytest.mark.parametrize("name", sorted(cldr.GENERATED_FILES))
def test_generated_files_are_regenerated_identically(lang: str, name: str) -> None:
    committed = (langdata.DATA_DIR / lang / name).read_text(encoding="utf-8")
    assert committed == cldr.GENERATED_FILES[name](lang), "run: python -m geo.lang.cldr"


def test_weekdays_content() -> None:
    assert langdata.weekday_names("de")["Dienstag"] == 2 and langdata.weekday_names("en")["Sunday"] == 7
    assert langdata.month_names("en")["Sept."] == 9


def test_months_content() -> None:
    german, english = langdata.load_months("de"), langdata.load_months("en")
    assert german["märz"] == german["maerz"] == 3 and german["sept."] == german["sep"] == 9
    assert english["sept."] == english["september"] == 9 and english["jan."] == 1
    assert langdata.load_months("xx")["januar"] == langdata.load_months("xx")["january"] == 1


def test_rule_files_open_with_purpose_and_format() -> None:
    for path in sorted(langdata.DATA_DIR.glob("*/abbreviations.txt")) + sorted(langdata.DATA_DIR.glob("*/months.tsv")):
        head = path.read_text(encoding="utf-8").splitlines()[:5]
        assert head[0].startswith("# ") and any("FORMAT" in line for line in head), path


def test_bad_rule_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "language.toml").write_text('name = "Testish"\n', encoding="utf-8")
    (tmp_path / "zz" / "abbreviations.txt").write_text("# comment\nDr.\nno period here\n", encoding="utf-8")
    (tmp_path / "zz" / "months.tsv").write_text("# comment\n13\tSmarch\n", encoding="utf-8")
    add_data_dir(tmp_path)
    try:
        with pytest.raises(langdata.LanguageDataError, match=r"abbreviations\.txt:3: bad line 'no period here'"):
            langdata.load_abbreviations("zz")
        with pytest.raises(langdata.LanguageDataError, match=r"months\.tsv:2: bad line"):
            langdata.load_months("zz")
    finally:
        remove_data_dir(tmp_path)


def test_abbreviation_file_flags() -> None:
    german = langdata.load_abbreviations("de")
    assert german.ordinals and "z. B." in german.never_end and "usw." in german.may_end
    english = langdata.load_abbreviations("en")
    assert not english.ordinals and "U.S." in english.never_end and "etc." in english.may_end


def test_no_clock_in_module() -> None:
    for module in (document, langdata):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "now(" not in source and "today(" not in source


def test_clear_german_or_english_is_decided_by_function_words_without_the_model() -> None:
    from geo.read import document as module

    german = "Der Zug fuhr am Abend von der Grenze nach Osten und hielt nicht an. " * 4
    english = "The train left the border in the evening and did not stop for the night. " * 4
    assert module._function_word_vote(german) == "de"
    assert module._function_word_vote(english) == "en"
    french = "Le train est parti de la frontière le soir et ne s'est pas arrêté de la nuit. " * 4
    assert module._function_word_vote(french) is None
    assert detect_language(french) == "fr"


# ------------------------------------------------------------------ Word, PDF, uploads

KIM_DOCX_TEXT = (
    "Kims Panzerzug erreicht Wladiwostok\n\n"
    "Der Zug fuhr von Pjöngjang über Chassan nach Wladiwostok.\n\n"
    "Stationen\n\n"
    "Tumangang\n\n"
    "Grenze\n\n"
    "Ussurijsk\n\n"
    "Umsteigen\n\n"
    "Im August war der russische Verteidigungsminister in Pjöngjang.\n\n"
    "(Jo Beispiel aus Moskau, 12.9.2023)"
)


def kim_docx(title: str | None = "Kims Reise") -> bytes:
    """A .docx with a heading, paragraphs, a table whose first row is one merged cell, a dateline."""
    word = docx.Document()
    word.add_heading("Kims Panzerzug erreicht Wladiwostok", level=1)
    word.add_paragraph("Der Zug fuhr von Pjöngjang über Chassan nach Wladiwostok.")
    word.add_paragraph("   ")  # an empty paragraph leaves no trace
    table = word.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Stationen"
    for row, (place, note) in enumerate([("Tumangang", "Grenze"), ("Ussurijsk", "Umsteigen")], start=1):
        table.cell(row, 0).text, table.cell(row, 1).text = place, note
    word.add_paragraph("Im August war der russische Verteidigungsminister in Pjöngjang.")
    word.add_paragraph("(Jo Beispiel aus Moskau, 12.9.2023)")
    if title is not None:
        word.core_properties.title = title
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def pdf_bytes(*pages: str | None, title: str | None = None) -> bytes:
    """A minimal valid PDF by hand (pypdf cannot lay out text): one Helvetica line per page.

    ``None`` makes a page without a content stream, as a scan's page has no text. The xref
    offsets are computed, so pypdf reads the file without repairing it.
    """
    def literal(text: str) -> bytes:
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b")"

    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title " + literal(title) + b" >>" if title else b"<< >>",
    ]
    for number, text in enumerate(pages):
        contents = b" /Contents %d 0 R" % (6 + 2 * number) if text is not None else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
            + contents + b" >>"
        )
        stream = b"BT /F1 12 Tf 72 720 Td " + literal(text or "") + b" Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_docx_read_by_path_paragraphs_table_title_and_dateline(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kim.docx", kim_docx()))
    assert doc.text == KIM_DOCX_TEXT  # merged cell once, cells row by row, empty paragraph gone
    assert sentences_of(doc.text)[:3] == [
        "Kims Panzerzug erreicht Wladiwostok",
        "Der Zug fuhr von Pjöngjang über Chassan nach Wladiwostok.",
        "Stationen",
    ]
    assert doc.title == "Kims Reise" and doc.source == "kim.docx" and doc.language == "de"
    # python-docx's template says 'created 2013-12-23': the dateline decides, not the core properties
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


def test_docx_upload_equals_path(tmp_path: Path) -> None:
    data = kim_docx()
    by_path = read_document(write(tmp_path, "kim.docx", data), published="2023-09-13")
    uploaded = document.document_from_upload("Kim Reise.docx", data, published="2023-09-13")
    assert uploaded.source == "Kim Reise.docx"
    assert uploaded == Document(**{**by_path.__dict__, "source": "Kim Reise.docx"})
    assert uploaded.published == D(2023, 9, 13) and uploaded.published_source == "option"


def test_docx_without_title_or_core_properties() -> None:
    assert document.document_from_upload("a.docx", kim_docx(title=None)).title is None
    source, target = zipfile.ZipFile(io.BytesIO(kim_docx())), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for member in source.namelist():
            data = source.read(member)
            if member == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            archive.writestr(member, data)
    assert b"core-properties" in source.read("_rels/.rels")
    # python-docx invents a title ("Word Document") for a package without core properties
    assert document.document_from_upload("a.docx", target.getvalue()).title is None


def test_pdf_text_pages_and_title(tmp_path: Path) -> None:
    data = pdf_bytes("Der Zug fuhr nach Wladiwostok.", "(Jo Beispiel aus Moskau, 12.9.2023)", title="Kims Reise")
    doc = read_document(write(tmp_path, "kim.pdf", data))
    assert doc.text == "Der Zug fuhr nach Wladiwostok.\n\n(Jo Beispiel aus Moskau, 12.9.2023)"
    assert doc.title == "Kims Reise" and doc.source == "kim.pdf"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"
    uploaded = document.document_from_upload("kim.pdf", data)
    assert uploaded == Document(**{**doc.__dict__, "source": "kim.pdf"})


def test_pdf_without_title() -> None:
    doc = document.document_from_upload("a.pdf", pdf_bytes("Der Zug fuhr nach Wladiwostok."))
    assert doc.text == "Der Zug fuhr nach Wladiwostok." and doc.title is None


def test_pdf_and_docx_recognised_by_content_when_misnamed(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "kim.txt", pdf_bytes("Der Zug fuhr nach Wladiwostok."))).text == (
        "Der Zug fuhr nach Wladiwostok."
    )
    assert document.document_from_upload("kim", kim_docx()).text == KIM_DOCX_TEXT


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", pdf_bytes(None, None))
    message = "scan.pdf: this PDF holds no text layer (a scanned image?); Dateline reads text, not images"
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == str(tmp_path / message)
    with pytest.raises(DocumentError) as caught:
        document.document_from_upload("scan.pdf", pdf_bytes(None))
    assert str(caught.value) == message


def test_pdf_with_password() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Der Zug fuhr nach Wladiwostok."))))
    writer.encrypt(user_password="geheim", owner_password="besitzer", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(DocumentError, match=r"^locked\.pdf: this PDF is protected by a password; .*\Z"):
        document.document_from_upload("locked.pdf", locked.getvalue())
    writer.encrypt(user_password="", owner_password="besitzer", algorithm="RC4-128")  # opens without one
    restricted = io.BytesIO()
    writer.write(restricted)
    assert document.document_from_upload("r.pdf", restricted.getvalue()).text == "Der Zug fuhr nach Wladiwostok."


RANDOM_BYTES = bytes(b * 97 % 251 for b in range(3_000))  # arbitrary, reproducible bytes


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.docx", RANDOM_BYTES, "bad.docx: cannot read this .docx file: not a ZIP archive (an old .doc file?)"),
        ("bad.pdf", RANDOM_BYTES, "bad.pdf: cannot read this PDF file: damaged or not a PDF"),
        ("cut.pdf", pdf_bytes("Der Zug fuhr.")[:60], "cut.pdf: cannot read this PDF file: damaged or not a PDF"),
    ],
)
def test_corrupt_files_give_one_line_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(write(tmp_path, name, data))
    assert str(caught.value) == f"{tmp_path / name}" + message.removeprefix(name)
    with pytest.raises(DocumentError) as caught:
        document.document_from_upload(name, data)
    assert str(caught.value) == message and "\n" not in message
    assert caught.value.__suppress_context__  # no library traceback chained behind the message


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Der Zug fuhr nach Wladiwostok.")
    with pytest.raises(DocumentError) as caught:
        document.document_from_upload("notes.docx", buffer.getvalue())
    assert str(caught.value) == "notes.docx: cannot read this .docx file: damaged or not a Word document"


def test_docx_unpacking_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    word = docx.Document()
    word.add_paragraph("Wladiwostok " * 100_000)  # 1.2 MB of XML, a few KB packed
    buffer = io.BytesIO()
    word.save(buffer)
    assert len(buffer.getvalue()) < 100_000
    monkeypatch.setattr(document, "MAX_UNPACKED_BYTES_PER_CHAR", 1)
    with pytest.raises(DocumentError, match=r"^big\.docx: [\d,]+ bytes unpacked is over the limit of 1,000,000$"):
        document.document_from_upload("big.docx", buffer.getvalue())


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_upload_text_file(encoding: str) -> None:
    doc = document.document_from_upload("kim.txt", GERMAN.replace("Wladiwostok", "Köln").encode(encoding))
    assert doc.text == GERMAN.replace("Wladiwostok", "Köln") and doc.source == "kim.txt"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


def test_upload_markdown_and_html() -> None:
    markdown = "---\ntitle: Kims Reise\n---\n# Der Zug nach Wladiwostok\n\nKim fuhr mit dem **Panzerzug** los.\n"
    doc = document.document_from_upload("kim.md", markdown.encode("utf-8"))
    assert doc.text == "Der Zug nach Wladiwostok\n\nKim fuhr mit dem Panzerzug los." and doc.title == "Kims Reise"
    doc = document.document_from_upload("kim.html", HTML.encode("utf-8"))
    assert doc.title == "Kims Zug in Wladiwostok" and doc.published_source == "metadata"
    assert "SCRIPT" not in doc.text and doc.source == "kim.html"
    assert document.document_from_upload("page.php", HTML.encode("utf-8")).text == doc.text  # sniffed


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx"])
def test_upload_empty_file(name: str) -> None:
    with pytest.raises(DocumentError) as caught:
        document.document_from_upload(name, b"")
    assert str(caught.value) == f"{name}: empty text"


def test_upload_limits_and_type(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DocumentError, match=r"^kim\.txt: expected the file's bytes, got str$"):
        document.document_from_upload("kim.txt", GERMAN)  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match=r"^kim\.txt: looks like a binary file, not text$"):
        document.document_from_upload("kim.txt", b"\x00\x01\x02 Kim" * 10)
    monkeypatch.setattr(document, "MAX_CHARS", 10)
    with pytest.raises(DocumentError, match=r"^big\.html: 207 bytes is over the file size limit of 100$"):
        document.document_from_upload("big.html", ("<p>" + "x" * 200 + "</p>").encode())


def test_pdf_repair_warnings_stay_off_stderr() -> None:
    """In a fresh process: pytest's own log handlers would hide logging's last-resort output."""
    script = (
        "from geo.read.document import DocumentError, document_from_upload\n"
        "try:\n    document_from_upload('bad.pdf', bytes(b * 97 % 251 for b in range(3000)))\n"
        "except DocumentError as error:\n    print(error)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[1], check=True
    )
    assert run.stdout == "bad.pdf: cannot read this PDF file: damaged or not a PDF\n"
    assert run.stderr == ""
