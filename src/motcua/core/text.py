"""Text helpers for Vietnamese."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache


def strip_marks(text: str) -> str:
    """'Đăng ký' → 'Dang ky': the Vietnamese marks removed (đ → d), case and spacing kept."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """'Thủ tục Đăng ký  khai sinh' → 'thu tuc dang ky khai sinh': for searches without diacritics."""
    return " ".join(strip_marks(text).casefold().split())


# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) where they fall in Latin order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Tones in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WORD = re.compile(r"\d+|[^\W\d_]+")

type WordKey = tuple[int, tuple[int, ...], tuple[int, ...]]
type CollationKey = tuple[tuple[WordKey, ...], str]


def _word_key(word: str) -> WordKey:
    if word.isdecimal():
        return (0, (int(word),), ())
    letters: list[int] = []
    tones: list[int] = []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        tone = 0
        base = ""
        for part in decomposed:
            if part in _TONE_RANK:
                tone = _TONE_RANK[part]
            else:
                base += part
        base = unicodedata.normalize("NFC", base)
        # Other letters (Greek, Cyrillic…) after the alphabet, in code point order.
        rank = _LETTER_RANK.get(base)
        letters.append(rank if rank is not None else len(_ALPHABET) + (ord(base[0]) if base else 0))
        tones.append(tone)
    return (1, tuple(letters), tuple(tones))


@lru_cache(maxsize=50_000)
def collation_key(text: str) -> CollationKey:
    """A sort key in Vietnamese alphabetical order, word by word: a ă â b c d đ e ê g h i k l m n o ô ơ p q r
    s t u ư v x y, the tone deciding only between words of the same letters (level, huyền, hỏi, ngã, sắc,
    nặng), numbers by value before words: "Bạch" < "Bích" < "Bình", "Phường 2" < "Phường 10"."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return tuple(_word_key(w) for w in words), text


# What an administrative unit's name starts with; communes are looked for by what follows.
PLACE_PREFIXES = ("thị trấn", "đặc khu", "phường", "xã")


def bare_place_name(name: str) -> str:
    """'Xã Bình Minh' → 'Bình Minh': a commune's name without the word saying what kind of unit it is."""
    lowered = name.strip()
    for prefix in PLACE_PREFIXES:
        if lowered.casefold().startswith(prefix + " "):
            return lowered[len(prefix) + 1 :].strip()
    return lowered


def place_key(name: str) -> tuple[CollationKey, CollationKey]:
    """Sort key for communes: by their own name (Bạch Ngọc, Bích Hào, Bình Minh), whether xã or phường."""
    return collation_key(bare_place_name(name)), collation_key(name)


def place_in_text[K](text: str, places: Iterable[tuple[K, str]]) -> K | None:
    """The key of the place whose name an address names: 'Xóm 3, xã Bình Minh, Nghệ An' → Xã Bình Minh.
    Whole words, without diacritics or case; a name with its prefix ('xã Bình Minh') wins over the bare
    name, and the longest over shorter ones ('Bình Minh Tây' over 'Bình Minh'). None when none or two
    different places match equally."""
    haystack = f" {' '.join(_WORD.findall(fold(text)))} "
    best: tuple[int, int] = (0, 0)
    found: list[K] = []
    for key, name in places:
        for strength, candidate in ((2, name), (1, bare_place_name(name))):
            needle = " ".join(_WORD.findall(fold(candidate)))
            if needle and f" {needle} " in haystack:
                score = (strength, len(needle))
                if score > best:
                    best, found = score, [key]
                elif score == best and key not in found:
                    found.append(key)
                break
    return found[0] if len(found) == 1 else None
