"""The declaration PDF, printed from the answers in the legal form's order (A4, the slips' furniture from
`documents.slips.layout`): it is the declaration component's file, so officers print what the citizen
declared without the citizen printing or scanning anything."""

from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from motcua.documents.slips import layout
from motcua.dossiers.models import Dossier
from motcua.eforms.models import DeclarationForm
from motcua.eforms.schema import FormSchema
from motcua.eforms.selectors import shown_answers


def render_declaration(
    *, dossier: Dossier, form: DeclarationForm, schema: FormSchema, answers: dict[str, Any]
) -> bytes:
    width = layout.content_width(A4)
    moment = dossier.submitted_at
    story: list[Flowable] = [
        *layout.heading(
            unit=dossier.receiving_unit,
            form_no=form.legal_form,
            dated=layout.place_date(dossier.receiving_unit, moment),
            width=width,
        ),
        layout.text(schema.title.upper(), "title"),
        layout.text(_("Kính gửi: %(body)s") % {"body": layout.body_name(dossier.receiving_unit)}, "center"),
        layout.text(
            _("Hồ sơ %(code)s · nộp trực tuyến · mẫu tờ khai phiên bản %(version)s")
            % {"code": dossier.code, "version": form.version},
            "small_center",
        ),
        Spacer(1, 4 * mm),
    ]
    for section in shown_answers(schema, answers):
        story.append(layout.para(f"<b>{layout.esc(section.title)}</b>"))
        for line in section.lines:
            if not line.rows:
                story.append(layout.field(line.label, line.value))
                continue
            story.append(layout.text(f"{line.label}:"))
            if line.rows:
                header = [cell.label for cell in line.rows[0]]
                rows = [[cell.value for cell in row] for row in line.rows]
                story.append(layout.grid(header, rows, [width / len(header)] * len(header)))
        story.append(Spacer(1, 3 * mm))
    story.append(
        layout.text(
            _(
                "Tôi cam đoan những nội dung khai trên đây là đúng sự thật "
                "và chịu trách nhiệm trước pháp luật."
            )
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(layout.signatures((_("Người khai"), dossier.applicant_name), width=width))
    story.append(
        layout.text(
            _("Khai trực tuyến, xác nhận bằng tài khoản định danh; không cần chữ ký tay."), "small_center"
        )
    )
    return layout.render(
        story,
        pagesize=A4,
        title=schema.title,
        subject=dossier.code,
        author=dossier.receiving_unit.name,
        printed_at=moment,
    )
