"""Vietnamese text normalisation for accent-insensitive search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Đất đai" → "dat dai".

    NFC first, so text typed as NFC or NFD folds to the same string.
    """
    text = unicodedata.normalize("NFC", text or "").lower()
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d")
    return _SPACES.sub(" ", text).strip()


_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> str:
    """`fold` with punctuation turned into spaces: the words a search matches against.

    Both the PostgreSQL tsvector ('simple') and the SQLite fallback see the same words.
    """
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def search_terms(query: str) -> list[str]:
    """The words of a search box entry, folded, at most eight of them."""
    return fold_words(query).split()[:8]


def person_name(user) -> str:
    """A Vietnamese name reads family name first: "Nguyễn Thị Hồng Nhung"."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def lower_first(text: str) -> str:
    """ "Khảo sát …" → "khảo sát …" to follow a phrase; "UBND …" stays as it is."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text
