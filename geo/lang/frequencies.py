"""Is a word frequent in a language? wordfreq's lists, read without wordfreq's tokenizer.

Why: recognition asks this of every new capitalised word ("Brand" and "Höhe" are words, "Leoben"
is a name), thousands of times per batch of articles and a few dozen times in a cold ``extract``.
``wordfreq.zipf_frequency`` answers it by running its full tokenizer (about 0.2 ms a word); its
import costs about 0.1 s (langcodes, ftfy), and its English "best" list about 0.2 s more to load,
most of it words far rarer than any question Dateline asks. Dateline only asks "at least
:data:`FLOOR_ZIPF`?" (Zipf 3: once per million words), so this module reads the bands of each list
down to that floor straight from wordfreq's data files (streamed: the rest of a file is never
decompressed) and looks the word up itself.

The answer is wordfreq's own: a word of Latin letters, with dots or apostrophes inside ("U.S.",
"O'Brien", "Moscow’s": one token each, the apostrophe straightened), or of Latin letters and
digits ("G7", "EF3", "19th": one token, its runs of digits counted as wordfreq counts them), or
several such joined by hyphens or spaces (tokens whose frequencies wordfreq combines: "Fort
Worth", "St. Paul", "COVID-19"; a full stop at a token's end is dropped), is folded as wordfreq
folds it (NFC, case folding: "Groß" -> "gross") and scored with wordfreq's formula; any other word
(other scripts, a number with a point or comma inside, a French elision that wordfreq cuts:
"d'heure") is handed to wordfreq itself, which news in German or English then seldom needs (a
word with digits had cost a cold ``extract`` a third of a second). A test compares both on a
sample of the words of Dateline's name lists, rule files and samples.
"""

from __future__ import annotations

import gzip
import math
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import regex

FLOOR_ZIPF = 3.0  # the lowest threshold a caller may ask for: the bands kept go down to it
CENTIBELS_PER_ZIPF = 100  # wordfreq's lists hold one band of words per centibel of frequency
CACHED_WORDS = 1 << 15

# Text wordfreq's tokenizer reads as one token per run of Latin letters (dots and apostrophes inside
# it kept: "u.s", "o'brien") or of Latin letters and digits ("g7", "covid19"), runs split by
# hyphens or spaces, a full stop at a run's end dropped: none of its other special cases ("@s",
# spaceless scripts, marks, numbers with a point or comma inside) can apply.
_RUN = r"(?:\p{Latin}++(?:[.'’]\p{Latin}++)*+(?![0-9])|\p{Latin}*+[0-9][\p{Latin}0-9]*+)"  # one way to match: linear
_LATIN_WORDS = regex.compile(rf"({_RUN}(?:\.?[- ]{_RUN})*)\.?")
# A token that starts with one or two letters, an apostrophe and a vowel or "h" is cut after the
# apostrophe ("d'heure", French elision): wordfreq's own rule, left to wordfreq.
_ELISION = regex.compile(r"(?:^|[- ])\p{Latin}{1,2}['’][aehiouyáéíóúàèìòùâêîôûåïöœ]", regex.IGNORECASE)
_TOKEN_BREAK = regex.compile(r"[- ]")


def zipf_at_least(word: str, language: str, min_zipf: float, wordlist: str = "best") -> bool:
    """Is ``word`` at least ``min_zipf`` (>= :data:`FLOOR_ZIPF`) on wordfreq's Zipf scale in
    ``language`` (``wordlist``: "small", "large" or "best", as wordfreq names them)? A language
    wordfreq has no list for has no frequent words."""
    if min_zipf < FLOOR_ZIPF:
        raise ValueError(f"only Zipf frequencies from {FLOOR_ZIPF} on are kept, not {min_zipf}")
    return _zipf(word, language, wordlist) >= min_zipf


def load_list(language: str, wordlist: str = "best") -> None:
    """Read the list's bands now (a server's warm-up), not on the first word asked of it."""
    path = _list_file(language, wordlist)
    if path is not None:
        _bands(path)


def has_list(language: str, wordlist: str = "best") -> bool:
    """Does wordfreq have a list of this kind for the language?"""
    return _list_file(language, wordlist) is not None


@lru_cache(maxsize=CACHED_WORDS)
def _zipf(word: str, language: str, wordlist: str) -> float:
    """wordfreq's ``zipf_frequency(word, language, wordlist)`` where it is at least the floor; 0.0
    (or another value below the floor) where it is not."""
    path = _list_file(language, wordlist)
    if path is None:
        return 0.0
    latin = _LATIN_WORDS.fullmatch(unicodedata.normalize("NFC", word))
    if latin is None or _ELISION.search(latin[1]):
        from wordfreq import zipf_frequency

        return zipf_frequency(word, language, wordlist)
    bands = _bands(path)
    tokens = [token.rstrip(".") for token in _TOKEN_BREAK.split(latin[1].casefold().replace("’", "'"))]
    smashed = [_DIGIT_RUN.sub(_zeroes, token) for token in tokens]
    found = [bands.get(token) for token in smashed]  # "st. paul": "st", "paul"
    if None in found:
        return 0.0  # a token rarer than the floor makes the whole rarer still
    shares = tuple(1.0 if same == token else _digit_share(token) for same, token in zip(smashed, tokens))
    return _zipf_of_bands(tuple(found), shares)


# wordfreq counts a run of two or more digits as zeros ("covid-19" is looked up as "covid", "00")
# and then takes the share of that run among all runs of its length (numbers.py: digit_freq).
_DIGIT_RUN = regex.compile(r"[0-9]{2,}")
_LEADING_DIGIT_SHARES = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)
_YEAR_LOG_PEAK, _NOT_YEAR_SHARE, _REFERENCE_YEAR, _PLATEAU_YEARS = -1.9185, 0.1, 2019, 20


def _zeroes(run: regex.Match) -> str:
    return "0" * len(run[0])


def _digit_share(token: str) -> float:
    """wordfreq's estimate of how often a token's runs of two or more digits are these among all
    runs alike ("b52" is as frequent as "b00" times this): Benford's law for the leading digit,
    and for four digits a curve of years that peaks over the two decades from wordfreq's 2019."""
    share = 1.0
    for run in _DIGIT_RUN.findall(token):
        benford = _LEADING_DIGIT_SHARES[int(run[0])] / 10 ** (len(run) - 1)
        if len(run) != 4:
            share *= benford
            continue
        year = int(run)
        if year <= _REFERENCE_YEAR:
            log_share = _YEAR_LOG_PEAK - 0.0083 * (_REFERENCE_YEAR - year)
        elif year <= _REFERENCE_YEAR + _PLATEAU_YEARS:
            log_share = _YEAR_LOG_PEAK
        else:
            log_share = _YEAR_LOG_PEAK - 0.2 * (year - (_REFERENCE_YEAR + _PLATEAU_YEARS))
        share *= 10.0**log_share + _NOT_YEAR_SHARE * benford
    return share


@lru_cache(maxsize=4096)
def _zipf_of_bands(bands: tuple[int, ...], shares: tuple[float, ...]) -> float:
    """wordfreq's Zipf frequency of a word whose tokens are in these bands, each times its digits'
    share: their frequencies combined (1/f = 1/f1 + 1/f2 + ...), to three significant digits, on
    the Zipf scale to two decimals, computed as wordfreq computes it, step by step."""
    frequency = 1.0 / sum(1.0 / (10 ** (-band / CENTIBELS_PER_ZIPF) * share) for band, share in zip(bands, shares))
    leading_zeroes = math.floor(-math.log(frequency, 10))
    return round(math.log(round(frequency, leading_zeroes + 3), 10) + 9, 2)


@cache
def _bands(path: Path) -> dict[str, int]:
    """Each word of the list at or above the floor, with its band (a word of band ``b`` has a
    frequency of ``-b`` centibels). The file (msgpack: a header, then one list of words per band,
    most frequent first) is read only as far as the floor's band."""
    import msgpack

    last_band = round((9 - FLOOR_ZIPF) * CENTIBELS_PER_ZIPF)
    found: dict[str, int] = {}
    with gzip.open(path, "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False, use_list=False)
        bands = unpacker.read_array_header() - 1
        unpacker.skip()  # the header: {"format": "cB", "version": 1}
        for band in range(min(bands, last_band + 1)):
            found.update(dict.fromkeys(unpacker.unpack(), band))
    return found


@cache
def _list_file(language: str, wordlist: str) -> Path | None:
    """wordfreq's data file for the list: "best" is the large list where there is one."""
    kinds = ("large", "small") if wordlist == "best" else (wordlist,)
    files = [_data_dir() / f"{kind}_{language}.msgpack.gz" for kind in kinds]
    return next((path for path in files if path.is_file()), None)


@lru_cache(maxsize=1)
def _data_dir() -> Path:
    """wordfreq's data folder, found without importing wordfreq (its import costs about 0.1 s)."""
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed: run scripts/setup")
    return Path(next(iter(spec.submodule_search_locations))) / "data"
