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
