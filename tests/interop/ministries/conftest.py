import pytest

from motcua.catalog.models import ProcessStep
from motcua.core.roles import Role
from tests.factories import make_procedure


def province_procedure(code: str, unit):
    K = ProcessStep.UnitKind
    return make_procedure(
        code,
        level="province",
        amount="10",
        responsible_unit=unit,
        steps=[
            ("Chuyên viên thẩm định hồ sơ", K.FIXED, unit, Role.SPECIALIST, "8", False),
            ("Lãnh đạo đơn vị phê duyệt, ký kết quả", K.FIXED, unit, Role.UNIT_LEADER, "2", True),
        ],
    )


@pytest.fixture
def judicial_record(province):
    """Procedure 3.000333 (judicial record), settled by the province's department (here: of justice)."""
    return province_procedure("3.000333", province.justice)
