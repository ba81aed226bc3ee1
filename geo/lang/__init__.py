"""Languages as data: the registry (what each language is) and the readers of its rule files."""

from geo.lang.registry import (
    DATA_DIR,
    FALLBACK_LANGUAGES,
    Language,
    add_data_dir,
    is_known,
    language,
    language_file,
    language_files,
    languages,
    languages_with,
    remove_data_dir,
    tagger_languages,
)

__all__ = [
    "DATA_DIR",
    "FALLBACK_LANGUAGES",
    "Language",
    "add_data_dir",
    "is_known",
    "language",
    "language_file",
    "language_files",
    "languages",
    "languages_with",
    "remove_data_dir",
    "tagger_languages",
]
