"""Readers for the public evaluation sets in ``../shared/eval/`` (never copied here).

Geoparsing: each reader returns a :class:`Dataset`: the documents' texts exactly as published (or,
for token-per-line sets, rebuilt from the tokens) and the gold toponyms with exact spans. What
counts as a gold toponym, and which are demonyms, is decided here and stated in each reader's
docstring.

Temporal expressions (``../shared/eval/timeline``, and the gold "events" of ``data/samples``):
:func:`read_wikiwars_de`, :func:`read_wikiwars_en` and :func:`read_sample_timelines`.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from .common import REPO_DIR, Gold, TimexSpan

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
    news: bool | None = None  # from a news site (True) or not (False); None: not known
    tokens: tuple[tuple[int, int], ...] = ()  # (start, end) of each token, for token-per-line sets


@dataclass(frozen=True)
class Entity:
    """Any annotated name (every class, outer and nested), where a set has them: for sorting errors."""

    doc: str
    start: int
    end: int
    label: str  # the class without B-/I-: "PER", "ORG", "LOC", "LOCderiv", "LOCpart"...
    inner: bool = False  # a name nested in another (GermEval's second tag column)


@dataclass(frozen=True)
class Dataset:
    """Documents, gold toponyms (demonyms flagged) and the language to analyse them in."""

    name: str
    language: str
    documents: tuple[Document, ...]
    gold: tuple[Gold, ...]
    complete_spans: bool = True  # False: not every toponym is annotated (recall only)
    notes: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()  # every annotated name of every class (GermEval)
    sentences: bool = False  # each document is one sentence (the error list gives it whole)

    def limited(self, limit: int | None) -> Dataset:
        if not limit:
            return self
        documents = self.documents[:limit]
        keep = {d.id for d in documents}
        return Dataset(
            self.name,
            self.language,
            documents,
            tuple(g for g in self.gold if g.doc in keep),
            self.complete_spans,
            self.notes,
            tuple(e for e in self.entities if e.doc in keep),
            self.sentences,
        )


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
            gold.append(
                Gold(
                    doc,
                    start,
                    end,
                    text[start:end],
                    _geonames(toponym.findtext("geonamesID")),
                    _float(toponym.findtext("latitude")),
                    _float(toponym.findtext("longitude")),
                    kind,
                    demonym,
                )
            )
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
            gold.append(Gold(doc, start, end, phrase, gid, lat, lon, "toponym", phrase.casefold() in demonyms))
    return Dataset(
        "LGL",
        "en",
        tuple(documents),
        tuple(gold),
        notes=("LGL demonyms flagged with the forms in data/en/demonyms.tsv",),
    )


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
            shift = next((d for d in (0, -1, 1, -2, 2, -3, 3) if text[start + d : end + d] == name), None)
            if shift is None:
                dropped += 1
                continue
            gold.append(
                Gold(
                    doc,
                    start + shift,
                    end + shift,
                    name,
                    None,
                    _float(location.findtext("lat")),
                    _float(location.findtext("lon")),
                    "location",
                    name.casefold() in demonyms,
                )
            )
    notes = (
        "offsets shifted to match <name> (published offsets are off by one)",
        f"{dropped} spans dropped (no shift matched)",
    )
    return Dataset("GeoVirus", "en", tuple(documents), tuple(gold), complete_spans=False, notes=notes)


def read_hipe(paths: list[Path]) -> Dataset:
    """German HIPE-2022: text rebuilt from tokens, gold = B-LOC/I-LOC spans in NE-COARSE-LIT.

    Tokens (NFC-normalised) are joined with one space, except before closing punctuation, after an
    opening bracket or quote, and after a word hyphenated at a line end (¬). MISC's NoSpaceAfter is
    not used: newseye sets it between words where the original had a line break. Documents start at ``# hipe2022:document_id``;
    the date line gives the publication date. A document with no entity of any type annotated
    (several newseye documents) is taken as not annotated and left out. One whose entities all lie
    in the first part of its tokens (:data:`ANNOTATED_SHARE`) was annotated only that far (newseye:
    entities in the first 333 of 3,938 tokens, none after): it is read up to the end of the sentence
    of its last entity, as the unannotated rest would count every place in it as a false positive.
    """
    documents, gold, unannotated, partial = [], [], [], []
    for path in paths:
        for doc, published, tokens in _hipe_documents(path):
            if all(tag == "O" for _, tag, _ in tokens):
                unannotated.append(doc)
                continue
            annotated = _annotated_part(tokens)
            if len(annotated) < len(tokens):
                partial.append(f"{doc} ({len(annotated):,} of {len(tokens):,} tokens)")
            text, spans = _hipe_text(annotated)
            documents.append(Document(doc, text, published))
            gold.extend(Gold(doc, s, e, text[s:e], kind="LOC") for s, e in spans)
    notes = (
        "historical German 1864-1937, OCR noise, long s (ſ) kept as printed",
        f"{len(unannotated)} documents without any entity annotation left out: {', '.join(unannotated)}",
        f"{len(partial)} documents annotated only in their first part, read up to the sentence of their last "
        f"entity: {', '.join(partial) or 'none'}",
    )
    return Dataset("HIPE-2022 de", "de", tuple(documents), tuple(gold), notes=notes)


ANNOTATED_SHARE = 0.5  # a document whose entities all lie in this first share of its tokens is annotated in part
SENTENCE_END_TOKENS = frozenset({".", "!", "?"})


def _annotated_part(tokens: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The tokens up to the end of the sentence of the last entity (any type), where every entity
    lies in the first ANNOTATED_SHARE of the document; else all of them."""
    last = max(i for i, (_, tag, _) in enumerate(tokens) if tag != "O")
    if last + 1 >= ANNOTATED_SHARE * len(tokens):
        return tokens
    end = next((i for i in range(last + 1, len(tokens)) if tokens[i][0] in SENTENCE_END_TOKENS), len(tokens) - 1)
    return tokens[: end + 1]


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
    text, offsets = _join_tokens(token for token, _, _ in tokens)
    spans = _bio_spans([tag for _, tag, _ in tokens], offsets)
    return text, [(start, end) for label, start, end in spans if label == "LOC"]


def _join_tokens(tokens: Iterable[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens (NFC-normalised) joined into a text as the rules of :func:`_space_between` say, and
    each token's (start, end) in it.

    >>> _join_tokens(["Er", "kam", "(", "aus", "Köln", ")", "."])
    ('Er kam (aus Köln).', [(0, 2), (3, 6), (7, 8), (8, 11), (12, 16), (16, 17), (17, 18)])
    """
    parts, offsets, length, previous = [], [], 0, None
    for token in tokens:
        token = unicodedata.normalize("NFC", token)
        if previous is not None and _space_between(previous, token):
            parts.append(" ")
            length += 1
        parts.append(token)
        offsets.append((length, length + len(token)))
        length += len(token)
        previous = token
    return "".join(parts), offsets


def _bio_spans(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(label, start, end) of the names in one column of IOB tags; an I- tag that does not continue
    a name of its own class opens one.

    >>> _bio_spans(["B-LOC", "I-LOC", "I-PER", "O", "B-LOC", "B-LOC"], [(i, i + 1) for i in range(0, 12, 2)])
    [('LOC', 0, 3), ('PER', 4, 5), ('LOC', 8, 9), ('LOC', 10, 11)]
    """
    spans: list[tuple[str, int, int]] = []
    open_span: list | None = None
    for tag, (start, end) in zip(tags, offsets):
        label = tag[2:] if tag[:2] in ("B-", "I-") else None
        if label and tag[0] == "I" and open_span and open_span[0] == label:
            open_span[2] = end
            continue
        if open_span:
            spans.append(tuple(open_span))
        open_span = [label, start, end] if label else None
    if open_span:
        spans.append(tuple(open_span))
    return spans


def _space_between(previous: str, token: str) -> bool:
    if previous.endswith("¬"):  # a word hyphenated at a line end
        return False
    if len(token) == 1 and token in HIPE_CLOSING:
        return False
    return not (len(previous) == 1 and previous in HIPE_OPENING)


GERMEVAL_DATE = re.compile(r"\[(\d{4}-\d\d-\d\d)\]")


def read_germeval(path: Path) -> Dataset:
    """GermEval 2014 NER (Benikova et al. 2014; NoSta-D): gold = the outer ``B-LOC``/``I-LOC`` spans.

    Each ``#`` line opens a sentence: its source URL and ``[date]``; then one token a line (index,
    token, outer tag, inner tag). Each sentence is one document, id = its number (1, 2, ...), text
    rebuilt from its tokens with HIPE's spacing (:func:`_join_tokens`: a straight quote ``"``, being
    neither opening nor closing, gets a space on both sides), ``published`` = the date, ``news`` =
    the source is not on wikipedia.org (the source is a URL, or a site and a date: "welt.de vom
    09.03.2006"). Not gold: LOCderiv ("europäischen"), LOCpart ("US-Präsident") and every inner tag
    (the LOC in ``[ORG FC Kickers [LOC Darmstadt]]``); they are kept, with every other name of both
    columns, as :class:`Entity` rows for sorting the errors.
    """
    documents, gold, entities = [], [], []
    for number, (header, rows) in enumerate(_germeval_sentences(path), start=1):
        doc = str(number)
        text, offsets = _join_tokens(row[1] for row in rows)
        date = GERMEVAL_DATE.search("\t".join(header))
        host = _host(header[1] if len(header) > 1 else "")
        news = bool(host) and not (host == "wikipedia.org" or host.endswith(".wikipedia.org"))
        documents.append(Document(doc, text, date.group(1) if date else None, news, tuple(offsets)))
        for column, inner in ((2, False), (3, True)):
            for label, start, end in _bio_spans([row[column] for row in rows], offsets):
                entities.append(Entity(doc, start, end, label, inner))
                if label == "LOC" and not inner:
                    gold.append(Gold(doc, start, end, text[start:end], kind="LOC"))
    in_news = sum(bool(d.news) for d in documents)
    notes = (
        f"{len(documents)} single sentences ({in_news} news, {len(documents) - in_news} Wikipedia), "
        "each analysed alone; text rebuilt from tokens",
        "gold = outer LOC only (not LOCderiv, LOCpart or inner tags); no coordinates: recognition only",
    )
    return Dataset(
        "GermEval 2014 de", "de", tuple(documents), tuple(gold), notes=notes, entities=tuple(entities), sentences=True
    )


def _host(source: str) -> str:
    """The site of a source: a URL's host, else the first word ("welt.de vom 09.03.2006").

    >>> _host("http://de.wikipedia.org/wiki/Ulm"), _host("welt.de vom 09.03.2006"), _host("")
    ('de.wikipedia.org', 'welt.de', '')
    """
    if "://" in source:
        return (urlsplit(source).hostname or "").lower()
    return source.split()[0].lower() if source.split() else ""


def _germeval_sentences(path: Path) -> Iterator[tuple[list[str], list[list[str]]]]:
    """(the ``#`` line's cells, the token rows) of each sentence."""
    header, rows = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if header is not None:
                yield header, rows
            header, rows = line.split("\t"), []
        elif line.strip() and header is not None:
            cells = line.split("\t")
            rows.append(cells + ["O"] * (4 - len(cells)))
    if header is not None:
        yield header, rows


# --------------------------------------------------------------------------- temporal expressions

WIKIWARS_DE_CREATION = datetime.date(2011, 2, 16)  # the corpus' document creation time (its readme)
SGML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_]*)((?:\s[^<>]*)?)>")
SGML_ATTRIBUTE = re.compile(r'([A-Za-z_]+)="([^"]*)"')
APF_CHARSEQ = re.compile(r'<charseq START="(\d+)" END="(\d+)">(.*?)</charseq>', re.S)
TIMEX2_TAG = re.compile(r"</?TIMEX2\b[^<>]*>")


@dataclass(frozen=True)
class TimexDocument:
    id: str
    text: str
    language: str
    published: datetime.date | None = None


@dataclass(frozen=True)
class TimexDataset:
    """Documents and gold timexes (offsets into each document's text), with how to run the tagger."""

    name: str
    documents: tuple[TimexDocument, ...]
    gold: tuple[TimexSpan, ...]
    narrative: bool = False
    not_events: frozenset[tuple[str, int, int]] = frozenset()  # (doc, start, end) of trap spans
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def limited(self, limit: int | None) -> TimexDataset:
        if not limit:
            return self
        documents = self.documents[:limit]
        keep = {d.id for d in documents}
        return TimexDataset(
            self.name,
            documents,
            tuple(g for g in self.gold if g.doc in keep),
            self.narrative,
            frozenset(s for s in self.not_events if s[0] in keep),
            self.notes,
            self.problems,
        )


def strip_sgml(raw: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """The text of SGML ``raw`` without its tags, and each tag as (offset in that text, "/" or "",
    name, attributes). Entities are not decoded (WikiWarsDE has raw "&" and no entities).

    >>> strip_sgml('<T>ab <X v="1">cd</X></T>')
    ('ab cd', [(0, '', 'T', ''), (3, '', 'X', ' v="1"'), (5, '/', 'X', ''), (5, '/', 'T', '')])
    """
    parts, tags, position, length = [], [], 0, 0
    for m in SGML_TAG.finditer(raw):
        parts.append(raw[position : m.start()])
        length += m.start() - position
        position = m.end()
        tags.append((length, m.group(1), m.group(2), m.group(3)))
    parts.append(raw[position:])
    return "".join(parts), tags


def utf8_offsets(text: str):
    """A function from character offset to UTF-8 byte offset in ``text``.

    >>> byte = utf8_offsets("aß€b")
    >>> [byte(i) for i in range(5)]
    [0, 1, 3, 6, 7]
    """
    wide = [(m.start(), len(m.group().encode("utf-8")) - 1) for m in re.finditer(r"[^\x00-\x7f]", text)]
    starts = [position for position, _ in wide]
    extra = list(itertools.accumulate(n for _, n in wide))

    def byte(index: int) -> int:
        before = bisect.bisect_left(starts, index)
        return index + (extra[before - 1] if before else 0)

    return byte


def read_wikiwars_de(directory: Path) -> TimexDataset:
    """WikiWarsDE (Strötgen & Gertz 2011): 22 German Wikipedia war narratives, gold TIMEX2.

    Text: the content of ``<TEXT>...</TEXT>`` of ``in/NAME.sgm``, exactly as published; the DOC
    header (DOCID, DOCTYPE and the ``<DATETIME>`` creation time, itself tagged as a TIMEX2) is left
    out, and offsets are relative to the TEXT content.

    Gold: the ``<TIMEX2 val=".." mod="..">`` tags of ``keyinline/NAME.key.xml``, offsets counted in
    the inline file with every tag removed. Checked on every tag: (1) that text equals the ``in/``
    text with its tags removed; (2) against the stand-off ``key/NAME.key.apf.xml``, whose charseq
    START/END are UTF-8 *byte* offsets into that tag-free text (header included), END inclusive.
    The APF files are not used for values: they are not XML (a timex with an anchor has two VAL
    attributes, the anchor first) and they drop most MOD attributes. A gold extent with spaces at an
    edge is trimmed (counted in the notes). A TIMEX2 without ``val`` has no value (None).
    """
    documents, gold, problems = [], [], []
    trimmed = apf_checked = apf_mismatches = 0
    for sgm_path in sorted((directory / "in").glob("*.sgm")):
        name = sgm_path.name.removesuffix(".sgm")
        sgm = sgm_path.read_text(encoding="utf-8")
        plain, tags = strip_sgml(sgm)
        text_start = next((o for o, close, tag, _ in tags if tag == "TEXT" and not close), None)
        text_end = next((o for o, close, tag, _ in tags if tag == "TEXT" and close), None)
        if text_start is None or text_end is None:
            problems.append(f"{sgm_path.name}: no <TEXT>...</TEXT>")
            continue
        text = plain[text_start:text_end]
        documents.append(TimexDocument(name, text, "de", WIKIWARS_DE_CREATION))
        inline_path = directory / "keyinline" / f"{name}.key.xml"
        if not inline_path.exists():
            problems.append(f"{name}: no {inline_path.name}")
            continue
        inline, inline_tags = strip_sgml(inline_path.read_text(encoding="utf-8"))
        if inline != plain:
            problems.append(f"{name}: keyinline text differs from in/ text")
            continue
        spans, stack = [], []
        for offset, close, tag, attributes in inline_tags:
            if tag != "TIMEX2":
                continue
            if not close:
                stack.append((offset, dict(SGML_ATTRIBUTE.findall(attributes))))
            elif stack:
                start, attrs = stack.pop()
                spans.append((start, offset, attrs))
        apf_path = directory / "key" / f"{name}.key.apf.xml"
        if apf_path.exists():
            byte = utf8_offsets(plain)
            apf = {
                (int(a), int(b) + 1): surface
                for a, b, surface in APF_CHARSEQ.findall(apf_path.read_text(encoding="utf-8"))
            }
            for start, end, _ in spans:
                apf_checked += 1
                if apf.get((byte(start), byte(end))) != plain[start:end]:
                    apf_mismatches += 1
            apf_mismatches += abs(len(apf) - len(spans))
        for start, end, attrs in sorted(spans, key=lambda s: (s[0], s[1])):
            if not (text_start <= start and end <= text_end):
                continue  # the <DATETIME> creation time
            surface = plain[start:end]
            stripped = surface.strip()
            if stripped != surface:
                trimmed += 1
                start += len(surface) - len(surface.lstrip())
                end = start + len(stripped)
            s, e = start - text_start, end - text_start
            assert text[s:e] == stripped
            gold.append(TimexSpan(name, s, e, stripped, attrs.get("val") or None, None, attrs.get("mod") or None))
    notes = [
        f"text = <TEXT> content only (the DOC header and its <DATETIME> timex left out); "
        f"tagged with creation time {WIKIWARS_DE_CREATION}, narrative mode",
        f"gold from keyinline; APF stand-off (UTF-8 byte offsets, END inclusive) agrees on "
        f"{apf_checked - apf_mismatches} of {apf_checked} tags",
        f"{sum(not g.has_value for g in gold)} gold TIMEX2 without val: spans only, out of the value figures",
    ]
    if trimmed:
        notes.append(f"{trimmed} gold extent(s) with an edge space trimmed")
    if apf_mismatches:
        problems.append(f"{apf_mismatches} gold tags disagree with the APF stand-off offsets")
    return TimexDataset(
        "WikiWarsDE", tuple(documents), tuple(gold), narrative=True, notes=tuple(notes), problems=tuple(problems)
    )


@dataclass(frozen=True)
class ContextRecord:
    """One English WikiWars record: an expression, its gold value, and where it is in its context."""

    doc: str
    number: int
    text: str
    value: str | None
    type: str
    mod: str | None
    context: str  # markup removed
    start: int  # the record's occurrence in ``context`` (-1: not found)
    end: int
    occurrences: int

    @property
    def id(self) -> str:
        return f"{self.doc}#{self.number}"


def clean_context(context: str) -> tuple[str, list[int]]:
    """Remove TIMEX2 tags and tag fragments cut by the window from a WikiWars context.

    A fragment is text before the first ">" when no "<" comes before it (the tail of a cut tag),
    and text from the last "<" when no ">" follows (the head of one). Returns the cleaned text and,
    for each of its characters, the offset in the raw context.

    >>> clean_context('X2 val="1939">in 1939</TIMEX2>, then <TIMEX2 val="1940">1940</TIMEX2> and </TIM')[0]
    'in 1939, then 1940 and '
    """
    removed = [m.span() for m in TIMEX2_TAG.finditer(context)]
    first_gt, first_lt = context.find(">"), context.find("<")
    if first_gt != -1 and (first_lt == -1 or first_gt < first_lt):
        removed.append((0, first_gt + 1))
    last_lt, last_gt = context.rfind("<"), context.rfind(">")
    if last_lt > last_gt:
        removed.append((last_lt, len(context)))
    drop = [False] * len(context)
    for a, b in removed:
        drop[a:b] = [True] * (b - a)
    kept = [i for i in range(len(context)) if not drop[i]]
    return "".join(context[i] for i in kept), kept


def locate(text: str, clean: str, positions: list[int], raw_length: int) -> tuple[int, int]:
    """The occurrence of ``text`` in the cleaned context closest to the middle of the raw context
    (occurrences at word boundaries preferred), and how many occurrences there are; (-1, 0) if none.

    >>> locate("1939", "In 1939 and 1939 and 1939x", list(range(26)), 26)
    (12, 2)
    """
    found = [m.start() for m in re.finditer(re.escape(text), clean)] if text else []
    bounded = [
        s
        for s in found
        if not (s > 0 and clean[s - 1].isalnum() and text[0].isalnum())
        and not (s + len(text) < len(clean) and clean[s + len(text)].isalnum() and text[-1].isalnum())
    ]
    choices = bounded or found
    if not choices:
        return -1, 0
    middle = raw_length / 2
    best = min(choices, key=lambda s: abs((positions[s] + positions[s + len(text) - 1] + 1) / 2 - middle))
    return best, len(choices)


def read_wikiwars_en(path: Path) -> tuple[list[ContextRecord], list[str]]:
    """English WikiWars flattened (Mazur & Dale 2010): ``{doc, text, val, type, context, mod?}``.

    No offsets and no creation time: each context (about 120 characters either side of the
    expression, sometimes with cut TIMEX2 markup) is cleaned with :func:`clean_context` and the
    expression located in it with :func:`locate`. ``val`` "" is no value. Returns the records and
    the problems (records whose text is not in their cleaned context, contexts still holding < or >).
    """
    records, problems, leftover = [], [], 0
    for number, row in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        clean, positions = clean_context(row["context"])
        leftover += "<" in clean or ">" in clean
        start, occurrences = locate(row["text"], clean, positions, len(row["context"]))
        if start < 0:
            problems.append(f"{row['doc']}#{number}: {row['text']!r} not in its cleaned context")
        records.append(
            ContextRecord(
                row["doc"],
                number,
                row["text"],
                row.get("val") or None,
                row.get("type", ""),
                row.get("mod") or None,
                clean,
                start,
                start + len(row["text"]) if start >= 0 else -1,
                occurrences,
            )
        )
    if leftover:
        problems.append(f"{leftover} cleaned contexts still contain < or >")
    return records, problems


def read_sample_timelines(directory: Path | None = None) -> TimexDataset:
    """The project's samples with gold timexes: ``"events": [{"start", "end", "text", "type",
    "value", "mod"?}]`` and optional ``"not_events"`` (trap spans) in ``NAME.gold.json``.

    A sample without an "events" key is not annotated yet and left out (counted in the notes);
    ``"events": []`` is an annotated sample without any timex. Tagged with the gold language and
    publication date (None when absent), news mode.
    """
    directory = directory or REPO_DIR / "data" / "samples"
    documents, gold, not_events, problems, unannotated = [], [], set(), [], 0
    for gold_path in sorted(directory.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        record = json.loads(gold_path.read_text(encoding="utf-8"))
        if "events" not in record:
            unannotated += 1
            continue
        text_path = directory / f"{name}.txt"
        if not text_path.exists():
            problems.append(f"{gold_path.name}: no {text_path.name}")
            continue
        text = text_path.read_text(encoding="utf-8")
        published = record.get("published")
        documents.append(
            TimexDocument(
                name,
                text,
                record.get("language", "auto"),
                datetime.date.fromisoformat(published) if published else None,
            )
        )
        for event in record.get("events") or []:
            start, end = int(event["start"]), int(event["end"])
            if text[start:end] != event.get("text", text[start:end]):
                problems.append(f"{gold_path.name}: {start}-{end} is {text[start:end]!r}, gold says {event['text']!r}")
            gold.append(
                TimexSpan(
                    name,
                    start,
                    end,
                    text[start:end],
                    event.get("value") or None,
                    event.get("type") or None,
                    event.get("mod") or None,
                )
            )
        for trap in record.get("not_events") or []:
            if isinstance(trap, dict) and "start" in trap:
                not_events.add((name, int(trap["start"]), int(trap["end"])))
    notes = [f'{len(documents)} samples with gold events; {unannotated} without an "events" key left out']
    return TimexDataset(
        "samples",
        tuple(documents),
        tuple(gold),
        narrative=False,
        not_events=frozenset(not_events),
        notes=tuple(notes),
        problems=tuple(problems),
    )
