"""Readers for the public geoparsing sets in ``../shared/eval/geoparsing`` (never copied here).

Each reader returns a :class:`Dataset`: the documents' texts exactly as published and the gold
toponyms with exact spans. What counts as a gold toponym, and which are demonyms, is decided here
and stated in each reader's docstring.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .common import REPO_DIR, Gold

# GeoWebNews (Gritta, Pilehvar & Collier 2019, "A Pragmatic Guide to Geoparsing Evaluation"): the
# pragmatic taxonomy's literal and associative toponyms are toponyms; Non_Toponym, Homonym and
# Language are not; Literal_Expression and Non_Lit_Expression mark context words, not names.
GWN_LITERAL = ("Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier")
GWN_ASSOCIATIVE = ("Metonymic", "Demonym", "Non_Literal_Modifier", "Embedded_Non_Lit")
GWN_NOT_TOPONYMS = ("Non_Toponym", "Homonym", "Language")

HIPE_CLOSING = frozenset(".,;:!?)]}%“»")
HIPE_OPENING = frozenset("([{„«")


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    published: str | None = None


@dataclass(frozen=True)
class Dataset:
    """Documents, gold toponyms (demonyms flagged) and the language to analyse them in."""

    name: str
    language: str
    documents: tuple[Document, ...]
    gold: tuple[Gold, ...]
    complete_spans: bool = True      # False: not every toponym is annotated (recall only)
    notes: tuple[str, ...] = ()

    def limited(self, limit: int | None) -> Dataset:
        if not limit:
            return self
        documents = self.documents[:limit]
        keep = {d.id for d in documents}
        return Dataset(self.name, self.language, documents, tuple(g for g in self.gold if g.doc in keep),
                       self.complete_spans, self.notes)


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def _geonames(value: str | None) -> str | None:
    return f"geonames:{value.strip()}" if value and value.strip() else None


def english_demonyms() -> frozenset[str]:
    """Demonym forms (case-folded) from the project's data/en/demonyms.tsv, to flag LGL demonyms."""
    path = REPO_DIR / "data" / "en" / "demonyms.tsv"
    if not path.exists():
        return frozenset()
    forms = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            forms.add(line.split("\t")[0].strip().casefold())
    return frozenset(forms)


def read_geowebnews(path: Path) -> Dataset:
    """GeoWebNews: gold = literal and associative toponyms (9 of the 14 annotation types).

    Demonyms for the "without demonyms" view: type Demonym, and adjectival modifiers
    (modifierType Adjective: "Syrian" in "Syrian forces", typed Non_Literal_Modifier and so on).
    Not gold: Non_Toponym, Homonym, Language and the two *_Expression context types.
    """
    documents, gold = [], []
    for number, article in enumerate(etree.parse(str(path)).getroot().iter("article")):
        doc = f"gwn-{article.get('file', number)}"
        text = article.findtext("text") or ""
        documents.append(Document(doc, text))
        for toponym in article.find("toponyms") if article.find("toponyms") is not None else ():
            kind = toponym.findtext("type")
            if kind not in GWN_LITERAL + GWN_ASSOCIATIVE:
                continue
            start, end = int(toponym.findtext("start")), int(toponym.findtext("end"))
            demonym = kind == "Demonym" or toponym.findtext("modifierType") == "Adjective"
            gold.append(Gold(doc, start, end, text[start:end], _geonames(toponym.findtext("geonamesID")),
                             _float(toponym.findtext("latitude")), _float(toponym.findtext("longitude")),
                             kind, demonym))
    return Dataset("GeoWebNews", "en", tuple(documents), tuple(gold))


def read_lgl(path: Path) -> Dataset:
    """LGL: every <toponym> is gold; a phrase found in data/en/demonyms.tsv is flagged a demonym."""
    demonyms = english_demonyms()
    documents, gold = [], []
    for article in etree.parse(str(path)).getroot().iter("article"):
        doc = f"lgl-{article.get('docid')}"
        text = article.findtext("text") or ""
        published = (article.findtext("dltime") or "")[:10] or None
        documents.append(Document(doc, text, published))
        for toponym in article.iter("toponym"):
            start, end = int(toponym.findtext("start")), int(toponym.findtext("end"))
            tag = toponym.find("gaztag")
            gid = _geonames(tag.get("geonameid")) if tag is not None else None
            lat = _float(tag.findtext("lat")) if tag is not None else None
            lon = _float(tag.findtext("lon")) if tag is not None else None
            phrase = text[start:end]
            gold.append(Gold(doc, start, end, phrase, gid, lat, lon, "toponym",
                             phrase.casefold() in demonyms))
    return Dataset("LGL", "en", tuple(documents), tuple(gold),
                   notes=("LGL demonyms flagged with the forms in data/en/demonyms.tsv",))


def read_geovirus(path: Path) -> Dataset:
    """GeoVirus: <location> spans with lat/lon (no GeoNames ids).

    The published offsets are one character late (start+1, end+1) throughout; each span is moved by
    the shift in [-3, 3] that makes ``text[start:end]`` equal ``<name>`` (unmatched spans are dropped
    and counted). Not every occurrence of a place is annotated, so only recall is meaningful.
    """
    demonyms = english_demonyms()
    documents, gold, dropped = [], [], 0
    for number, article in enumerate(etree.parse(str(path)).getroot().iter("article")):
        doc = f"geovirus-{number}"
        text = article.findtext("text") or ""
        documents.append(Document(doc, text))
        for location in article.iter("location"):
            name = location.findtext("name") or ""
            start, end = int(location.findtext("start")), int(location.findtext("end"))
            shift = next((d for d in (0, -1, 1, -2, 2, -3, 3) if text[start + d:end + d] == name), None)
            if shift is None:
                dropped += 1
                continue
            gold.append(Gold(doc, start + shift, end + shift, name, None, _float(location.findtext("lat")),
                             _float(location.findtext("lon")), "location", name.casefold() in demonyms))
    notes = ("offsets shifted to match <name> (published offsets are off by one)",
             f"{dropped} spans dropped (no shift matched)")
    return Dataset("GeoVirus", "en", tuple(documents), tuple(gold), complete_spans=False, notes=notes)


def read_hipe(paths: list[Path]) -> Dataset:
    """German HIPE-2022: text rebuilt from tokens, gold = B-LOC/I-LOC spans in NE-COARSE-LIT.

    Tokens (NFC-normalised) are joined with one space, except before closing punctuation, after an
    opening bracket or quote, and after a word hyphenated at a line end (¬). MISC's NoSpaceAfter is
    not used: newseye sets it between words where the original had a line break. Documents start at ``# hipe2022:document_id``;
    the date line gives the publication date. A document with no entity of any type annotated
    (several newseye documents) is taken as not annotated and left out.
    """
    documents, gold, unannotated = [], [], []
    for path in paths:
        for doc, published, tokens in _hipe_documents(path):
            if all(tag == "O" for _, tag, _ in tokens):
                unannotated.append(doc)
                continue
            text, spans = _hipe_text(tokens)
            documents.append(Document(doc, text, published))
            gold.extend(Gold(doc, s, e, text[s:e], kind="LOC") for s, e in spans)
    notes = ("historical German 1864-1937, OCR noise, long s (ſ) kept as printed",
             f"{len(unannotated)} documents without any entity annotation left out: {', '.join(unannotated)}")
    return Dataset("HIPE-2022 de", "de", tuple(documents), tuple(gold), notes=notes)


def _hipe_documents(path: Path) -> Iterator[tuple[str, str | None, list[tuple[str, str, str]]]]:
    doc, published, tokens = None, None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# hipe2022:document_id"):
            if doc is not None:
                yield doc, published, tokens
            doc, published, tokens = line.split("=", 1)[1].strip(), None, []
        elif line.startswith("# hipe2022:date"):
            published = line.split("=", 1)[1].strip() or None
        elif line.startswith(("#", "TOKEN\t")) or not line.strip():
            continue
        else:
            cells = line.split("\t")
            tokens.append((cells[0], cells[1] if len(cells) > 1 else "O", cells[-1] if len(cells) > 9 else ""))
    if doc is not None:
        yield doc, published, tokens


def _hipe_text(tokens: list[tuple[str, str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text and the LOC spans of one document's (token, NE-COARSE-LIT, MISC) rows."""
    parts, spans, length = [], [], 0
    open_span: list[int] | None = None
    previous: tuple[str, str, str] | None = None
    for token, tag, misc in tokens:
        if previous is not None and _space_between(previous, token):
            parts.append(" ")
            length += 1
        start = length
        token = unicodedata.normalize("NFC", token)
        parts.append(token)
        length += len(token)
        if tag == "B-LOC" or (tag == "I-LOC" and open_span is None):
            if open_span:
                spans.append(tuple(open_span))
            open_span = [start, length]
        elif tag == "I-LOC":
            open_span[1] = length
        elif open_span:
            spans.append(tuple(open_span))
            open_span = None
        previous = (token, tag, misc)
    if open_span:
        spans.append(tuple(open_span))
    return "".join(parts), spans


def _space_between(previous: tuple[str, str, str], token: str) -> bool:
    if previous[0].endswith("¬"):          # a word hyphenated at a line end
        return False
    if len(token) == 1 and token in HIPE_CLOSING:
        return False
    return not (len(previous[0]) == 1 and previous[0] in HIPE_OPENING)
