"""What a citizen reads of the catalogue's notes.

The notes of the catalogue (time limit, fee, component, procedure) were written while reading the national
database: besides what the citizen needs ("145 USD/thẻ", "hai bên phải có mặt") they say how a value was read
("CSDL hiển thị '1'…", "bản crawl…", "đơn vị là suy luận"). Officers keep the whole note; a citizen gets the
sentences, clauses and brackets that say nothing about the data's origin.
"""

import re

# Phrases of a data note: where a value came from, what was inferred or chosen, what is still to check.
DATA_NOTE = re.compile(
    r"CSDL\s*(ghi|hiển thị|liệt kê|:)|crawl|suy luận|dữ liệu mẫu|lỗi hiển thị|cần kiểm tra|chưa kiểm chứng|"
    r"chưa xác minh|chỉ xác minh|find_string|\bcột\b|theo nguồn|trong nguồn|nguồn\s*(:|ghi|không|chưa|đã)|"
    r"^nguồn\b|trình tự ghi|bên thứ ba|github|lấy từ mục|dự kiến|làm đại diện",
    re.IGNORECASE,
)
BRACKETS = re.compile(r"\s*\([^()]*\)")
# Clauses end at ";", at a sentence's full stop, at a dash between clauses, or at a line break.
SENTENCE_START = re.compile(r"(^|\.\s+)(\w)")
CLAUSE_END = re.compile(r";\s*|(?<=[^\d\s])\.\s+|\s+[–—]\s+|\n+")


def _clauses(text: str) -> list[tuple[str, str]]:
    """(clause, the separator after it), split outside brackets only."""
    found: list[tuple[str, str]] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        end = CLAUSE_END.match(text, i) if depth <= 0 else None
        if end:
            found.append((text[start:i], end.group()))
            start = i = end.end()
        else:
            i += 1
    found.append((text[start:], ""))
    return found


def citizen_note(note: str) -> str:
    """The note without its data-origin parts; "" when nothing is left for a citizen."""
    without_brackets = BRACKETS.sub(lambda m: "" if DATA_NOTE.search(m.group()) else m.group(), note or "")
    kept = [
        clause.strip() + separator
        for clause, separator in _clauses(without_brackets)
        if clause.strip() and not DATA_NOTE.search(clause)
    ]
    text = "".join(kept).strip(" ;–—\n")
    return SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
