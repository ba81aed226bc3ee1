"""Articles and files the reading tests read: short German, English and French texts (facts of
the seed article, sentences our own), an HTML page, and builders of a .docx and a minimal PDF."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from geo.read.sentences import split_sentences

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
            + contents
            + b" >>"
        )
        stream = b"BT /F1 12 Tf 72 720 Td " + literal(text or "") + b" Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_of_objects(objects, info=4)


def pdf_of_objects(objects: list[bytes], info: int | None = None) -> bytes:
    """A PDF of these objects, numbered from 1 (the first is the catalog), with a computed xref table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R%s >>" % (len(objects) + 1, b" /Info %d 0 R" % info if info else b"")
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
