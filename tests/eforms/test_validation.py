"""Answers checked against the form: each wrong answer refused at its path with a message in Vietnamese;
hidden sections are neither checked nor kept."""

from datetime import date

import pytest

from motcua.core.errors import ValidationFailed
from motcua.demo.declarations import BIRTH, TEMPORARY_RESIDENCE
from motcua.eforms.schema import parse
from motcua.eforms.validation import validate_answers, validate_section, visible_sections

TODAY = date(2026, 3, 10)
BIRTH_FORM = parse(BIRTH)


def birth_answers(**changes) -> dict:
    answers = {
        "declarant": {
            "full_name": "Trần Thị Bình",
            "id_number": "040190004321",
            "relation": "mother",
            "father_known": "no",
        },
        "child": {
            "full_name": "Nguyễn Minh Khôi",
            "sex": "male",
            "birth_date": "01/03/2026",
            "birth_place": "Bệnh viện Sản Nhi Nghệ An",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "home_town": "Nghệ An",
        },
        "mother": {
            "full_name": "Trần Thị Bình",
            "birth_date": "1992-11-03",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040190004321",
            "residence": {"detail": "12 Lê Lợi", "commune": "001.00.50.H40"},
        },
        "father": {"full_name": "Nguyễn Văn An"},
    }
    for path, value in changes.items():
        section, key = path.split("__")
        answers[section][key] = value
    return answers


def refusal(answers: dict) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        validate_answers(BIRTH_FORM, answers, today=TODAY)
    return refused.value


def test_good_answers_come_back_cleaned_and_the_hidden_father_dropped(province):
    cleaned = validate_answers(BIRTH_FORM, birth_answers(), today=TODAY)
    assert cleaned["child"]["birth_date"] == "2026-03-01"
    assert cleaned["mother"]["residence"] == {
        "detail": "12 Lê Lợi",
        "commune": "001.00.50.H40",
        "commune_name": "Phường Thành Vinh",
    }
    assert "father" not in cleaned  # "father_known" is "no": the section is not asked, its answers dropped
    # cleaning twice changes nothing (the stored answers are checked again at submission)
    assert validate_answers(BIRTH_FORM, cleaned, today=TODAY) == cleaned


@pytest.mark.parametrize(
    ("change", "path", "code", "message"),
    [
        (
            {"child__birth_date": "11/03/2026"},
            "child.birth_date",
            "in_future",
            "Ngày không được sau hôm nay.",
        ),
        (
            {"child__birth_date": "31/02/2026"},
            "child.birth_date",
            "bad_date",
            "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/03/2026.",
        ),
        (
            {"mother__id_number": "04019000432"},
            "mother.id_number",
            "bad_number",
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        ),
        ({"child__full_name": "  "}, "child.full_name", "required", "Vui lòng trả lời câu hỏi này."),
        ({"child__sex": "other"}, "child.sex", "bad_choice", "Vui lòng chọn một trong các lựa chọn."),
        (
            {"mother__residence": {"detail": "12 Lê Lợi", "commune": "999.00.50.H40"}},
            "mother.residence",
            "bad_commune",
            "Xã, phường không có trong danh mục của tỉnh.",
        ),
        (
            # the father's section is shown once the father is known: its required answers are then asked
            {"declarant__father_known": "yes"},
            "father.birth_date",
            "required",
            "Vui lòng trả lời câu hỏi này.",
        ),
    ],
)
def test_a_wrong_answer_is_refused_at_its_field(province, change, path, code, message):
    error = refusal(birth_answers(**change))
    assert error.code == "invalid_answers"
    assert error.field_codes()[path] == code
    assert error.field_messages()[path] == message


def test_every_wrong_answer_is_named_at_once(province):
    error = refusal(
        birth_answers(child__birth_date="01/01/2030", mother__id_number="12", child__home_town="")
    )
    assert sorted(error.fields) == ["child.birth_date", "child.home_town", "mother.id_number"]


def test_a_hidden_section_is_not_checked(province):
    # the father's answers are wrong, but the section is hidden: nothing refused, nothing kept
    cleaned = validate_answers(BIRTH_FORM, birth_answers(father__id_number="abc"), today=TODAY)
    assert "father" not in cleaned
    assert [s.key for s in visible_sections(BIRTH_FORM, cleaned)] == ["declarant", "child", "mother"]
    shown = birth_answers(declarant__father_known="yes")
    assert [s.key for s in visible_sections(BIRTH_FORM, shown)] == ["declarant", "child", "mother", "father"]


def test_one_page_is_checked_with_the_conditions_of_the_earlier_pages(province):
    values = validate_section(
        BIRTH_FORM,
        "child",
        birth_answers()["child"],
        answers={"declarant": {"relation": "mother"}},
        today=TODAY,
    )
    assert values["sex"] == "male"
    with pytest.raises(ValidationFailed) as refused:
        validate_section(BIRTH_FORM, "child", {"birth_date": "2026-04-01"}, answers={}, today=TODAY)
    assert set(refused.value.fields) == {
        "child.full_name",
        "child.sex",
        "child.birth_date",
        "child.birth_place",
        "child.ethnicity",
        "child.nationality",
        "child.home_town",
    }


def test_a_repeating_group_checks_each_row(province):
    schema = parse(TEMPORARY_RESIDENCE)
    residence = {
        "address": {"detail": "5 Quang Trung", "commune": ""},
        "until": "10/03/2027",
        "owner_name": "Lê Văn Cường",
        "owner_relation": "Người thuê nhà",
        "members": [
            {"full_name": "Lê Thị Hoa", "birth_date": "02/02/2015", "id_number": "", "relation": "Con"},
            {"full_name": "", "birth_date": "", "id_number": "", "relation": ""},  # an empty row is no row
            {"full_name": "Lê Văn Nam", "birth_date": "02/02/2030", "id_number": "123"},
        ],
    }
    with pytest.raises(ValidationFailed) as refused:
        validate_section(schema, "residence", residence, answers={}, today=TODAY)
    assert refused.value.field_codes() == {
        "residence.members.1.birth_date": "in_future",
        "residence.members.1.id_number": "bad_number",
    }
    residence["members"].pop()
    values = validate_section(schema, "residence", residence, answers={}, today=TODAY)
    assert values["members"] == [{"full_name": "Lê Thị Hoa", "birth_date": "2015-02-02", "relation": "Con"}]
    assert values["until"] == "2027-03-10"


def test_a_date_before_its_minimum_and_money_are_checked(province):
    schema = parse(
        {
            "title": "T",
            "sections": [
                {
                    "key": "s",
                    "title": "S",
                    "fields": [
                        {"key": "until", "label": "Đến ngày", "type": "date", "min": "today"},
                        {"key": "capital", "label": "Vốn", "type": "money", "min": 1, "max": 5_000_000},
                    ],
                }
            ],
        }
    )
    assert validate_section(schema, "s", {"capital": "1.500.000"}, answers={}, today=TODAY) == {
        "capital": 1_500_000
    }
    with pytest.raises(ValidationFailed) as refused:
        validate_section(
            schema, "s", {"until": "09/03/2026", "capital": "6.000.000"}, answers={}, today=TODAY
        )
    assert refused.value.field_messages() == {
        "s.until": "Ngày không được trước 10/03/2026.",
        "s.capital": "Số tiền tối đa 5.000.000 đồng.",
    }
