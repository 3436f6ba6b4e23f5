"""Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, tones after the
letters) and finding a commune named in a free-text address."""

import random

from motcua.core.text import collation_key, place_in_text, place_key


def shuffled_sort(words: list[str], key) -> list[str]:
    shuffled = words[:]
    random.Random(7).shuffle(shuffled)
    return sorted(shuffled, key=key)


def test_letters_in_the_vietnamese_alphabet_order():
    expected = ["An", "Ăn", "Ân", "Bạch", "Bích", "Bình", "Cầu", "Dương", "Đông", "Em", "Êm", "Giang", "Hòa"]
    assert shuffled_sort(expected, collation_key) == expected
    assert shuffled_sort(["Ơn", "On", "Ôn", "Uy", "Ưng", "Út"], collation_key) == [
        "On",
        "Ôn",
        "Ơn",
        "Út",
        "Uy",
        "Ưng",
    ]


def test_tones_come_after_the_letters_level_grave_hook_tilde_acute_dot():
    expected = ["ma", "mà", "mả", "mã", "má", "mạ", "mác", "mạch"]
    assert shuffled_sort(expected, collation_key) == expected


def test_word_by_word_and_numbers_by_value():
    expected = ["Phường 2", "Phường 10", "Phường Bến Thủy", "Phường Bến Thủy Mới", "Phường Bình"]
    assert shuffled_sort(expected, collation_key) == expected


def test_same_text_in_capitals_or_decomposed_sorts_alike():
    decomposed = "Bi\u0300nh"  # "Bình" with a combining grave accent
    assert collation_key(decomposed)[0] == collation_key("Bình")[0] == collation_key("BÌNH")[0]


def test_communes_sort_by_their_own_name_whether_xa_or_phuong():
    communes = [
        "Xã Bình Minh",
        "Phường Bích Hào",
        "Xã Bạch Ngọc",
        "Phường Đông Vinh",
        "Xã Diễn Châu",
        "Thị trấn Ân",
    ]
    assert shuffled_sort(communes, place_key) == [
        "Thị trấn Ân",
        "Xã Bạch Ngọc",
        "Phường Bích Hào",
        "Xã Bình Minh",
        "Xã Diễn Châu",
        "Phường Đông Vinh",
    ]


def test_the_commune_named_in_an_address():
    places = [(1, "Xã Bình Minh"), (2, "Xã Bình Minh Tây"), (3, "Phường Tây Hiếu"), (4, "Phường Bình Minh")]
    assert place_in_text("Xóm 3, xã Bình Minh Tây, tỉnh Nghệ An", places) == 2
    assert place_in_text("so 5 ngo 2, PHUONG TAY HIEU, Nghe An", places) == 3
    assert place_in_text("Xóm 1, phường Bình Minh", places) == 4
    assert place_in_text("Xóm 1, Bình Minh", places) is None  # a xã and a phường of that name: not guessed
    assert place_in_text("Thôn Bình Minhh", places) is None  # whole words only
    assert place_in_text("", places) is None
