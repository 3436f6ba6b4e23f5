"""Text helpers for Vietnamese."""

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """'Thủ tục Đăng ký  khai sinh' → 'thu tuc dang ky khai sinh': for searches without diacritics."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())
