"""The demo catalogue's declaration forms (issue #16): the five busiest demo procedures' legal declarations
as data (`eforms.schema`), each citing the form it follows.

`load_demo_declarations()` gives each demo procedure version its form once (a reload changes nothing; a
changed schema here makes a new form version, as an edit in the back office would).
"""

from typing import Any

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.eforms import selectors as eforms_selectors
from motcua.eforms import services as eforms

SEX = [["male", "Nam"], ["female", "Nữ"]]
VIETNAM = "Việt Nam"


def _person(
    prefix_label: str, *, when: dict[str, str] | None = None, required: bool = True
) -> list[dict[str, Any]]:
    """A person's details as the civil-status forms ask them, pre-filled from the population database
    for the verified declarant when `when` holds (the declarant is this person)."""

    def prefill(attribute: str) -> dict[str, Any]:
        return {
            "prefill": {"source": "population", "attribute": attribute, **({"when": when} if when else {})}
        }

    return [
        {
            "key": "full_name",
            "label": f"Họ, chữ đệm và tên {prefix_label}".strip(),
            "type": "text",
            "required": required,
            "max_length": 100,
            "searchable": True,
            **prefill("full_name"),
        },
        {
            "key": "birth_date",
            "label": "Ngày, tháng, năm sinh",
            "type": "date",
            "max": "today",
            "required": required,
            **prefill("birth_date"),
        },
        {"key": "ethnicity", "label": "Dân tộc", "type": "text", "max_length": 50, "required": required},
        {"key": "nationality", "label": "Quốc tịch", "type": "text", "max_length": 50, "required": required},
        {
            "key": "id_number",
            "label": "Số định danh cá nhân",
            "type": "id_number",
            "required": required,
            "help": "12 chữ số trên thẻ căn cước.",
            **prefill("citizen_id"),
        },
        {
            "key": "residence",
            "label": "Nơi cư trú",
            "type": "address",
            "required": required,
            "max_length": 300,
            **prefill("permanent_address"),
        },
    ]


BIRTH = {
    "title": "Tờ khai đăng ký khai sinh",
    "sections": [
        {
            "key": "declarant",
            "title": "Người đi khai sinh",
            "help": "Thông tin của bạn được lấy từ tài khoản đã xác thực danh tính.",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm và tên người đi khai",
                    "type": "text",
                    "required": True,
                    "max_length": 100,
                    "prefill": {"source": "profile", "attribute": "full_name"},
                },
                {
                    "key": "id_number",
                    "label": "Số định danh cá nhân",
                    "type": "id_number",
                    "required": True,
                    "prefill": {"source": "profile", "attribute": "citizen_id"},
                },
                {
                    "key": "relation",
                    "label": "Quan hệ với người được khai sinh",
                    "type": "choice",
                    "required": True,
                    "choices": [
                        ["mother", "Mẹ"],
                        ["father", "Cha"],
                        ["grandparent", "Ông, bà"],
                        ["relative", "Người thân thích khác"],
                    ],
                },
                {
                    "key": "father_known",
                    "label": "Có thông tin về người cha không?",
                    "type": "choice",
                    "required": True,
                    "choices": [["yes", "Có"], ["no", "Chưa xác định được cha"]],
                    "help": "Chọn “Chưa xác định được cha” thì không phải khai phần người cha.",
                },
            ],
        },
        {
            "key": "child",
            "title": "Người được khai sinh",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm và tên",
                    "type": "text",
                    "required": True,
                    "max_length": 100,
                    "searchable": True,
                    "summary": True,
                },
                {"key": "sex", "label": "Giới tính", "type": "choice", "required": True, "choices": SEX},
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "required": True,
                    "max": "today",
                },
                {
                    "key": "birth_place",
                    "label": "Nơi sinh",
                    "type": "text",
                    "required": True,
                    "max_length": 300,
                    "help": "Tên cơ sở y tế và địa danh, ví dụ: Bệnh viện Sản Nhi Nghệ An, Thành Vinh.",
                },
                {"key": "ethnicity", "label": "Dân tộc", "type": "text", "required": True, "max_length": 50},
                {
                    "key": "nationality",
                    "label": "Quốc tịch",
                    "type": "text",
                    "required": True,
                    "max_length": 50,
                },
                {
                    "key": "home_town",
                    "label": "Quê quán",
                    "type": "text",
                    "required": True,
                    "max_length": 300,
                },
            ],
        },
        {
            "key": "mother",
            "title": "Người mẹ",
            "fields": _person("người mẹ", when={"field": "declarant.relation", "equals": "mother"}),
        },
        {
            "key": "father",
            "title": "Người cha",
            "show_if": {"field": "declarant.father_known", "equals": "yes"},
            "fields": _person("người cha", when={"field": "declarant.relation", "equals": "father"}),
        },
    ],
}

TEMPORARY_RESIDENCE = {
    "title": "Tờ khai thay đổi thông tin cư trú (Mẫu CT01) – đăng ký tạm trú",
    "sections": [
        {
            "key": "declarant",
            "title": "Người kê khai",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm và tên",
                    "type": "text",
                    "required": True,
                    "max_length": 100,
                    "searchable": True,
                    "prefill": {"source": "population", "attribute": "full_name"},
                },
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "required": True,
                    "max": "today",
                    "prefill": {"source": "population", "attribute": "birth_date"},
                },
                {
                    "key": "sex",
                    "label": "Giới tính",
                    "type": "choice",
                    "required": True,
                    "choices": SEX,
                    "prefill": {"source": "population", "attribute": "gender"},
                },
                {
                    "key": "id_number",
                    "label": "Số định danh cá nhân",
                    "type": "id_number",
                    "required": True,
                    "prefill": {"source": "population", "attribute": "citizen_id"},
                },
                {
                    "key": "phone",
                    "label": "Số điện thoại liên hệ",
                    "type": "text",
                    "max_length": 15,
                    "prefill": {"source": "profile", "attribute": "phone"},
                },
            ],
        },
        {
            "key": "residence",
            "title": "Nơi đăng ký tạm trú",
            "fields": [
                {
                    "key": "address",
                    "label": "Địa chỉ nơi đề nghị đăng ký tạm trú",
                    "type": "address",
                    "required": True,
                    "max_length": 300,
                },
                {
                    "key": "until",
                    "label": "Tạm trú đến ngày",
                    "type": "date",
                    "required": True,
                    "min": "today",
                    "help": "Thời hạn tạm trú tối đa 02 năm (Luật Cư trú, Điều 27).",
                },
                {
                    "key": "owner_name",
                    "label": "Họ và tên chủ hộ / chủ sở hữu chỗ ở",
                    "type": "text",
                    "required": True,
                    "max_length": 100,
                },
                {
                    "key": "owner_relation",
                    "label": "Quan hệ với chủ hộ",
                    "type": "text",
                    "required": True,
                    "max_length": 50,
                },
                {
                    "key": "members",
                    "label": "Người cùng đăng ký tạm trú",
                    "type": "group",
                    "max_items": 10,
                    "fields": [
                        {
                            "key": "full_name",
                            "label": "Họ và tên",
                            "type": "text",
                            "required": True,
                            "max_length": 100,
                        },
                        {
                            "key": "birth_date",
                            "label": "Ngày sinh",
                            "type": "date",
                            "required": True,
                            "max": "today",
                        },
                        {"key": "id_number", "label": "Số định danh cá nhân", "type": "id_number"},
                        {"key": "relation", "label": "Quan hệ với chủ hộ", "type": "text", "max_length": 50},
                    ],
                },
            ],
        },
    ],
}

MARITAL_STATUS = {
    "title": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    "sections": [
        {
            "key": "person",
            "title": "Người được xác nhận tình trạng hôn nhân",
            "fields": [
                *_person("")[:2],
                {
                    "key": "sex",
                    "label": "Giới tính",
                    "type": "choice",
                    "required": True,
                    "choices": SEX,
                    "prefill": {"source": "population", "attribute": "gender"},
                },
                *_person("")[4:],
            ],
        },
        {
            "key": "status",
            "title": "Tình trạng hôn nhân và mục đích",
            "fields": [
                {
                    "key": "marital_status",
                    "label": "Tình trạng hôn nhân",
                    "type": "choice",
                    "required": True,
                    "choices": [
                        ["single", "Chưa đăng ký kết hôn với ai"],
                        ["divorced", "Đã ly hôn"],
                        ["widowed", "Vợ/chồng đã chết"],
                        ["married", "Đang có vợ/chồng"],
                    ],
                },
                {
                    "key": "purpose",
                    "label": "Mục đích sử dụng Giấy xác nhận",
                    "type": "text",
                    "required": True,
                    "max_length": 300,
                    "help": "Ví dụ: để đăng ký kết hôn với bà/ông …, tại …",
                },
            ],
        },
    ],
}

HOUSEHOLD_BUSINESS = {
    "title": "Giấy đề nghị đăng ký hộ kinh doanh",
    "sections": [
        {
            "key": "owner",
            "title": "Chủ hộ kinh doanh",
            "fields": _person("chủ hộ kinh doanh")[:1] + _person("chủ hộ kinh doanh")[4:],
        },
        {
            "key": "business",
            "title": "Hộ kinh doanh",
            "fields": [
                {
                    "key": "name",
                    "label": "Tên hộ kinh doanh",
                    "type": "text",
                    "required": True,
                    "max_length": 200,
                    "searchable": True,
                    "summary": True,
                },
                {
                    "key": "address",
                    "label": "Địa chỉ trụ sở",
                    "type": "address",
                    "required": True,
                    "max_length": 300,
                },
                {
                    "key": "activity",
                    "label": "Ngành, nghề kinh doanh",
                    "type": "text",
                    "required": True,
                    "max_length": 500,
                },
                {"key": "capital", "label": "Vốn kinh doanh", "type": "money", "required": True, "min": 1},
                {"key": "workers", "label": "Số lao động", "type": "text", "max_length": 5},
            ],
        },
    ],
}

JUDICIAL_RECORD = {
    "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
    "sections": [
        {
            "key": "person",
            "title": "Người yêu cầu cấp Phiếu",
            "fields": [
                *_person("")[:2],
                {
                    "key": "sex",
                    "label": "Giới tính",
                    "type": "choice",
                    "required": True,
                    "choices": SEX,
                    "prefill": {"source": "population", "attribute": "gender"},
                },
                *_person("")[3:],
            ],
        },
        {
            "key": "request",
            "title": "Nội dung yêu cầu",
            "fields": [
                {
                    "key": "form_no",
                    "label": "Loại Phiếu",
                    "type": "choice",
                    "required": True,
                    "choices": [["1", "Phiếu lý lịch tư pháp số 1"], ["2", "Phiếu lý lịch tư pháp số 2"]],
                },
                {
                    "key": "copies",
                    "label": "Số lượng Phiếu",
                    "type": "text",
                    "required": True,
                    "max_length": 2,
                },
                {
                    "key": "purpose",
                    "label": "Mục đích sử dụng Phiếu",
                    "type": "text",
                    "required": True,
                    "max_length": 300,
                },
            ],
        },
    ],
}

# Procedure code → (schema, the legal form it follows, the component it stands for, the components
# only for paper that the online form also replaces): components by their position in the procedure.
DECLARATIONS: dict[str, tuple[dict[str, Any], str, int, tuple[int, ...]]] = {
    "1.001193": (BIRTH, "Mẫu Tờ khai đăng ký khai sinh — Thông tư 04/2024/TT-BTP", 2, (1,)),
    "1.004194": (
        TEMPORARY_RESIDENCE,
        "Mẫu CT01 Tờ khai thay đổi thông tin cư trú — Thông tư 53/2025/TT-BCA (như thành phần hồ sơ ghi; "
        "trước đó Thông tư 66/2023/TT-BCA)",
        1,
        (),
    ),
    "1.004873": (
        MARITAL_STATUS,
        "Mẫu Tờ khai cấp Giấy xác nhận tình trạng hôn nhân — Thông tư 04/2024/TT-BTP",
        2,
        (1,),
    ),
    "1.001612": (
        HOUSEHOLD_BUSINESS,
        "Giấy đề nghị đăng ký hộ kinh doanh — mẫu theo Nghị định 168/2025/NĐ-CP và văn bản hướng dẫn",
        1,
        (),
    ),
    "3.000333": (
        JUDICIAL_RECORD,
        "Mẫu số 04/2025/LLTP Tờ khai điện tử yêu cầu cấp Phiếu lý lịch tư pháp",
        1,
        (),
    ),
}


def load_demo_declarations() -> int:
    """Each demo procedure version in force gets its declaration form; rows written."""
    written = 0
    for code, (schema, legal_form, position, replaced) in DECLARATIONS.items():
        for procedure in Procedure.objects.filter(code=code):
            current = eforms_selectors.active_form(procedure)
            if current is not None and current.schema == schema and current.legal_form == legal_form:
                continue
            components = {c.position: c for c in ProcedureComponent.objects.filter(procedure=procedure)}
            eforms.new_form_version(
                procedure=procedure,
                schema=schema,
                legal_form=legal_form,
                acting_user=None,
                component=components.get(position),
                replaces=[components[p] for p in replaced if p in components],
            )
            written += 1
    return written
