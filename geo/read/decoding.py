"""Bytes -> text: the byte order mark, BOM-less UTF-16, UTF-8, cp1252 and, last, a guess.

Why an order of attempts: a file or a fetched page rarely says its encoding, and a wrong guess
garbles every umlaut, so strict readings come first and guesses last. Used for files, uploads and
fetched pages alike (named ``decoding``, not ``encodings``, so as not to shadow the standard library).
Text that arrives already decoded (JSON, a pasted string, a PDF's text layer) can still hold lone
surrogates, which no UTF-8 output can write: :func:`replace_lone_surrogates` is the one place they go.
"""

from __future__ import annotations

import re

from geo.errors import DocumentError
from geo.read.files import labelled

__all__ = ["decode_bytes", "replace_lone_surrogates"]

_BOMS = (  # UTF-32 before UTF-16: their little-endian marks share a prefix
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, *, label: str | None = None) -> str:
    """Decode bytes: BOM, BOM-less UTF-16, strict UTF-8, plausible cp1252, charset-normalizer, latin-1.

    A cp1252 reading that looks like Western text is preferred to charset-normalizer, whose guesses
    on short German or French texts are unreliable (cp1250, cp1006). The BOM is kept out of the result.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, label)
    for attempt in (_utf16_without_bom, _utf8, _plausible_cp1252, _charset_normalizer, _latin1):
        text = attempt(data)
        if text is not None:
            return text
    raise DocumentError(labelled(label, "could not decode bytes as UTF-8, UTF-16 or cp1252"))


def _strict(data: bytes, encoding: str, label: str | None) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise DocumentError(
            labelled(
                label, f"could not decode bytes as {encoding.upper()} although they start with its byte order mark"
            )
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows NUL bytes on one side only (ASCII-range text)."""
    sample = data[:4096]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    encoding = "utf-16-le" if odd > 0.3 * half and even < 0.02 * half else None
    encoding = "utf-16-be" if even > 0.3 * half and odd < 0.02 * half else encoding
    return _try_decode(data, encoding) if encoding else None


def _utf8(data: bytes) -> str | None:
    return _try_decode(data, "utf-8")


def _plausible_cp1252(data: bytes) -> str | None:
    """cp1252 if at least half the letters are ASCII (mis-decoded Cyrillic or Greek is all accents)."""
    text = _try_decode(data, "cp1252")
    if text is None:
        return None
    letters = [c for c in text[:20_000] if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if foreign <= 0.5 * len(letters) else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _latin1(data: bytes) -> str | None:
    return _try_decode(data, "cp1252") or data.decode("latin-1")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (a high and low surrogate side by side
    become the one character they encode); text without surrogates is returned as it is.

    Why: JSON's ``"\\ud800"``, pypdf's "surrogatepass" or a page declared as UTF-7 give a string that
    Python holds but UTF-8 cannot write, so a Story or a Parquet row would fail only when written,
    long after its document was read. Every text, title, name and record id is cleaned on the way in.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
