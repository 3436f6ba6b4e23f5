"""The one procedure search of the public site (home page and online services catalogue).

Word based and without diacritics: "dang ky kinh doanh" finds "Đăng ký kinh doanh hộ kinh doanh" and every
procedure whose words include all of the query's, in any order. Ranked: the code typed in full first, then
the procedures whose name holds the words (as a phrase, then scattered), then those found through their
field or agency only. A word typed wrong by one letter ("khai sinhh", "kihn doanh") still finds, but only
when the exact words find nothing, so a correct query is never diluted. When nothing is found, the closest
queries are suggested ("Bạn có muốn tìm: …").

Matching is done in Python over the published procedures' folded words: a province publishes a few thousand
procedures at most, folding is cached (`core.text.fold`), and the results are the same on SQLite and
PostgreSQL by construction.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise
from unicodedata import normalize

from django.db.models import QuerySet

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import published_procedures
from motcua.core.text import fold

__all__ = [
    "CatalogueFilters",
    "SearchResult",
    "agency_of",
    "filter_options",
    "fold",
    "procedure_search",
]

MAX_SUGGESTIONS = 3
CLOSEST_NAMES_COMPARED = 50  # the names sharing the most words, compared letter by letter with the query
MIN_PREFIX = 3  # "khai sin" while typing finds "khai sinh"; "khai tu" does not find "thủ tục"
MIN_TYPO = 3  # shorter words ("ky", "an") must be typed right: one letter off is another word

# How much a query word weighs by where and how it matched.
EXACT, PREFIX, TYPO = 4.0, 3.0, 2.0
NAME, OTHER = 1.0, 0.4
NEIGHBOURS, NAME_STARTS_WITH_QUERY, CODE_EXACT = 1.0, 0.5, 1000.0


def agency_of(procedure_unit_name: str | None, agency_description: str) -> str:
    """The agency a procedure is filtered by: its responsible unit, else the published description."""
    return (procedure_unit_name or agency_description or "").strip()


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    field: str = ""
    agency: str = ""
    level: str = ""


@dataclass(frozen=True)
class SearchResult:
    procedures: list[Procedure]  # ranked best first
    suggestions: list[str] = field(default_factory=list)  # queries to offer when nothing was found


@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text)))


def words_of(text: str) -> list[str]:
    """'Đăng ký kết hôn (có yếu tố nước ngoài)' → ['dang', 'ky', 'ket', 'hon', 'co', 'yeu', ...]."""
    return list(_words(text))


def _code_key(text: str) -> str:
    return "".join(fold(text).split())


@dataclass(frozen=True)
class _Entry:
    pk: int
    code: str
    name: tuple[str, ...]  # folded words, in order
    name_words: frozenset[str]
    other_words: frozenset[str]  # of the field and the agency


# One procedure as searched: pk, code, name, field, agency.
Row = tuple[int, str, str, str, str]


def _entries(rows: list[Row]) -> tuple[_Entry, ...]:
    return _entries_of(tuple(rows))


@lru_cache(maxsize=8)  # the catalogue changes seldom: the same rows give the same entries
def _entries_of(rows: tuple[Row, ...]) -> tuple[_Entry, ...]:
    return tuple(
        _Entry(
            pk=pk,
            code=_code_key(code),
            name=_words(name),
            name_words=frozenset(_words(name)),
            other_words=frozenset(_words(field_name)) | frozenset(_words(agency)),
        )
        for pk, code, name, field_name, agency in rows
    )


def distance_at_most_one(a: str, b: str) -> bool:
    """One letter wrong, missing, added, or two neighbours swapped (Damerau–Levenshtein ≤ 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        swapped = i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        return swapped or a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :] if la < lb else a[i + 1 :] == b[i:]


def _word_matches(word: str, vocabulary: set[str], *, last: bool, typos: bool) -> dict[str, float]:
    """The catalogue's words `word` matches, with how well: itself; what it begins (the last word, being
    typed); with `typos`, the words one letter off."""
    matches = {word: EXACT} if word in vocabulary else {}
    if last and len(word) >= MIN_PREFIX:
        matches |= {w: PREFIX for w in vocabulary if w != word and w.startswith(word)}
    if typos and len(word) >= MIN_TYPO:
        for w in vocabulary:
            if w not in matches and len(w) >= MIN_TYPO and distance_at_most_one(word, w):
                matches[w] = TYPO
    return matches


def _best(matches: dict[str, float], words: frozenset[str]) -> float:
    hits = matches.keys() & words
    return max(matches[w] for w in hits) if hits else 0.0


def _score(entry: _Entry, query: list[dict[str, float]], code: str, code_prefix: str) -> float:
    """How well the entry matches (0: it does not: one of the words is nowhere)."""
    if entry.code == code:
        return CODE_EXACT
    if code_prefix and entry.code.startswith(code_prefix):
        return CODE_EXACT / 2
    total = 0.0
    for matches in query:
        best = max(_best(matches, entry.name_words) * NAME, _best(matches, entry.other_words) * OTHER)
        if not best:
            return 0.0
        total += best
    # Closer to the query as a phrase: each two query words found side by side in the name, in order.
    name = entry.name
    for before, after in pairwise(query):
        if any(a in before and b in after for a, b in pairwise(name)):
            total += NEIGHBOURS
    if name and name[0] in query[0]:
        total += NAME_STARTS_WITH_QUERY
    return total


def _ranked(entries: tuple[_Entry, ...], q: str) -> list[int]:
    """The pks of the entries matching `q`, best first; the exact words first, one letter off if none."""
    words = words_of(q)
    code = _code_key(q)
    # "1.0011" while typing a code; a digit tells a code from a word.
    code_prefix = code if len(code) >= MIN_PREFIX and any(ch.isdigit() for ch in code) else ""
    if not words:
        return []
    vocabulary = set().union(*(e.name_words | e.other_words for e in entries))
    for typos in (False, True):
        query = [
            _word_matches(word, vocabulary, last=i == len(words) - 1, typos=typos)
            for i, word in enumerate(words)
        ]
        scored = [(_score(e, query, code, code_prefix), i) for i, e in enumerate(entries)]
        found = sorted((-score, i) for score, i in scored if score > 0)
        if found:
            return [entries[i].pk for _s, i in found]
    return []


def _rows(procedures: QuerySet[Procedure]) -> list[Row]:
    return [
        (pk, code, name, field_name, agency_of(unit_name, description))
        for pk, code, name, field_name, description, unit_name in procedures.values_list(
            "pk", "code", "name", "field", "agency_description", "responsible_unit__name"
        )
    ]


def procedure_search(q: str = "", *, filters: CatalogueFilters | None = None) -> SearchResult:
    """Published procedures matching every word of `q` and the exact filters, best first; when `q` finds
    nothing, suggestions. Without `q`, the catalogue's order (province level first, then by code)."""
    filters = filters or CatalogueFilters(q=q)
    q = q or filters.q
    procedures = published_procedures()
    if filters.level in Procedure.Level.values:
        procedures = procedures.filter(level=filters.level)
    if filters.field:
        procedures = procedures.filter(field=filters.field)
    if not words_of(q) and not filters.agency:
        return SearchResult(list(procedures))
    rows = [row for row in _rows(procedures) if not filters.agency or row[4] == filters.agency]
    pks = _ranked(_entries(rows), q) if words_of(q) else [row[0] for row in rows]
    by_pk = procedures.in_bulk(pks)
    found = [by_pk[pk] for pk in pks]
    return SearchResult(found, [] if found or not words_of(q) else suggestions_for(q))


def suggestions_for(q: str) -> list[str]:
    """Queries that find something, closest first: `q` with each unknown word replaced by the nearest word
    of the catalogue (with its diacritics), then the names of the procedures sharing the most words."""
    rows = _rows(published_procedures())
    entries = _entries(rows)
    words = words_of(q)
    spelled = _spellings(name for _pk, _c, name, _f, _a in rows)
    near = [{w for w in spelled if _close(word, w)} for word in words]  # once per word of the catalogue
    suggestions: list[str] = []
    corrected = [
        word if word in spelled or not close else max(close, key=lambda w: _similarity(word, w))
        for word, close in zip(words, near, strict=True)
    ]
    if corrected != words and _ranked(entries, " ".join(corrected)):
        suggestions.append(" ".join(spelled.get(word, word) for word in corrected))
    sharing = []
    for i, entry in enumerate(entries):
        shared = sum(1 for close in near if close & entry.name_words)
        if shared * 2 >= len(words):
            sharing.append((-shared, i))
    phrase = " ".join(words)
    best = sorted(sharing)[:CLOSEST_NAMES_COMPARED]
    ranked = sorted((s, -_similarity(phrase, " ".join(entries[i].name)), rows[i][2]) for s, i in best)
    for _s, _r, name in ranked:
        if len(suggestions) >= MAX_SUGGESTIONS:
            break
        if fold(name) not in {fold(s) for s in suggestions}:
            suggestions.append(name)
    return suggestions


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _close(word: str, candidate: str) -> bool:
    """Near enough to suggest: one letter off, or two for longer words."""
    if len(word) < MIN_TYPO:
        return word == candidate
    if distance_at_most_one(word, candidate):
        return True
    return len(word) >= 5 and abs(len(word) - len(candidate)) <= 2 and _similarity(word, candidate) >= 0.75


def _spellings(names: Iterable[str]) -> dict[str, str]:
    """Each folded word of the names → its most frequent written form ("dang" → "đăng")."""
    forms: dict[str, Counter[str]] = {}
    for name in names:
        for written in re.findall(r"\w+", normalize("NFC", name).lower()):
            forms.setdefault(fold(written), Counter())[written] += 1
    return {word: counts.most_common(1)[0][0] for word, counts in forms.items()}


def filter_options() -> dict[str, list[str]]:
    """The fields and agencies of published procedures, for the catalogue's filters (sorted, folded)."""
    rows = published_procedures().values_list("field", "agency_description", "responsible_unit__name")
    fields = {field_name for field_name, _d, _u in rows if field_name}
    agencies = {agency_of(unit, description) for _f, description, unit in rows} - {""}
    return {
        "fields": sorted(fields, key=fold),
        "agencies": sorted(agencies, key=fold),
    }
