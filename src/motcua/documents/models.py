"""Stored files (scans and uploads, stored once by content hash) and their link to dossier components, each
link with its own file name (the same bytes uploaded by two people are one blob, never one name); the
applicant's electronic data store (once-only reuse), signed electronic results, and the reference registers
behind the local national-database connectors."""

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.models import OrgUnit
from motcua.dossiers.models import Consultation, Dossier, DossierComponent

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", _("Mã băm SHA-256 gồm 64 chữ số hệ 16."))

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """`files/ab/cd/<sha256>.<ext>`: the path follows the content, never the client's file name."""
    digest = instance.sha256
    return f"files/{digest[:2]}/{digest[2:4]}/{digest}.{EXTENSIONS[instance.content_type]}"


def neutral_name(stored: "StoredFile", stem: str) -> str:
    return f"{stem}.{EXTENSIONS.get(stored.content_type, 'bin')}"


class StoredFile(models.Model):
    """A file's bytes, stored once: the same content uploaded twice is the same row. Its name is not shown
    with an attachment: each `ComponentFile` and `DataStoreItem` carries the name its own uploader gave
    (`original_name` is the first upload's, which may name that person: "CCCD_Nguyen_Van_A.pdf")."""

    # The name given with the upload that returned this instance (`storage.store_upload`); not a column.
    upload_name: str = ""

    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True, validators=[sha256_validator])
    file = models.FileField(_("tệp"), upload_to=stored_file_path, max_length=200)
    content_type = models.CharField(
        _("kiểu tệp"), max_length=40, choices=[(t, t) for t in EXTENSIONS], editable=False
    )
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    page_count = models.PositiveIntegerField(_("số trang"), default=1)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm lưu"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tệp đã lưu")
        verbose_name_plural = _("tệp đã lưu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or self.sha256


class ComponentFile(models.Model):
    """A stored file attached to a component of a dossier: a counter scan, an online upload, a result."""

    class Kind(models.TextChoices):
        SCAN = "scan", _("Bản quét tại quầy")
        UPLOAD = "upload", _("Tải lên trực tuyến")
        RESULT = "result", _("Kết quả điện tử")
        REUSED = "reused", _("Tái sử dụng từ kho dữ liệu điện tử")

    DIGITISED = (Kind.SCAN, Kind.UPLOAD)

    dossier_component = models.ForeignKey(
        DossierComponent, verbose_name=_("thành phần hồ sơ"), on_delete=models.CASCADE, related_name="files"
    )
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.SCAN)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người số hóa"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    digitised_at = models.DateTimeField(_("thời điểm số hóa"))
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tệp của thành phần hồ sơ")
        verbose_name_plural = _("tệp của thành phần hồ sơ")
        ordering = ["dossier_component", "digitised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_component", "stored_file", "kind"], name="component_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_component_id}: {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name this attachment was given, else a neutral one (never another attachment's name)."""
        return self.file_name or neutral_name(self.stored_file, f"tep-{self.pk}")


# --- document types ----------------------------------------------------------------------------------


class DocumentType(models.Model):
    """A kind of paper the state issues (ID card, birth certificate, judicial record...): what the data store
    files documents under, so that one procedure's result can stand for another procedure's component."""

    code = models.CharField(_("mã loại giấy tờ"), max_length=30, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=255)
    # None: valid until revoked or replaced (a birth certificate); else days from issue (judicial record).
    validity_days = models.PositiveIntegerField(_("thời hạn hiệu lực (ngày)"), null=True, blank=True)
    # Provided by the national population database when the applicant is found there (never asked).
    from_population_db = models.BooleanField(_("khai thác từ CSDL quốc gia về dân cư"), default=False)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ComponentDocumentType(models.Model):
    """Which document type a procedure's component asks for (the catalogue has no such field)."""

    procedure_component = models.OneToOneField(
        ProcedureComponent,
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.CASCADE,
        related_name="document_type_link",
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ"), on_delete=models.PROTECT, related_name="components"
    )

    class Meta:
        verbose_name = _("loại giấy tờ của thành phần hồ sơ")
        verbose_name_plural = _("loại giấy tờ của thành phần hồ sơ")

    def __str__(self) -> str:
        return f"{self.procedure_component} → {self.document_type}"


class ProcedureResultType(models.Model):
    """Which document type a procedure's result is, so the e-result is filed under it in the data store."""

    procedure = models.OneToOneField(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="result_type_link"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ"), on_delete=models.PROTECT, related_name="procedures"
    )

    class Meta:
        verbose_name = _("loại giấy tờ kết quả của thủ tục")
        verbose_name_plural = _("loại giấy tờ kết quả của thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure} → {self.document_type}"


# --- the applicant's electronic data store -----------------------------------------------------------


class DataStoreItem(models.Model):
    """One document kept for an applicant (Kho quản lý dữ liệu điện tử của tổ chức, cá nhân)."""

    class Source(models.TextChoices):
        DIGITISED = "digitised", _("Số hóa khi tiếp nhận")
        RESULT = "result", _("Kết quả điện tử")
        NATIONAL_DB = "national_db", _("Cơ sở dữ liệu quốc gia")

    owner_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=14, db_index=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_store_items",
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ"), on_delete=models.PROTECT, related_name="items"
    )
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("tệp"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    issuer_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan cấp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer = models.CharField(_("cơ quan cấp (tên)"), max_length=255, blank=True)
    issued_at = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices)
    source_dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm lưu"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu điện tử")
        verbose_name_plural = _("kho dữ liệu điện tử của tổ chức, cá nhân")
        ordering = ["owner_id_number", "document_type", "-valid_from", "-pk"]
        indexes = [models.Index(fields=["owner_id_number", "document_type"], name="datastore_owner_type")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id_number", "document_type", "stored_file"], name="datastore_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id_number}: {self.document_type}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class DataStoreReuse(models.Model):
    """A component a dossier did not ask for because the system already held it: the once-only count
    (Decision 766 indicators 5.x: dossiers reusing digitised data, items from the e-data store)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reuses")
    dossier_component = models.OneToOneField(DossierComponent, on_delete=models.CASCADE, related_name="reuse")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("nguồn"), max_length=12, choices=DataStoreItem.Source.choices)
    item = models.ForeignKey(
        DataStoreItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reused_at = models.DateTimeField(_("thời điểm tái sử dụng"), db_index=True)

    class Meta:
        verbose_name = _("lượt tái sử dụng dữ liệu")
        verbose_name_plural = _("lượt tái sử dụng dữ liệu")
        ordering = ["-reused_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.document_type_id} ({self.source})"


# --- signed electronic results -----------------------------------------------------------------------


class ElectronicResult(models.Model):
    """The dossier's result as a PDF signed (PAdES) with the issuing unit's certificate."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="electronic_result")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    signed_by_unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị ký"), on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phát hành"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} ({self.signed_by_unit_id})"


# --- reference registers of the local national-database connectors -----------------------------------


class ReferencePerson(models.Model):
    """A row of the local reference population register (stands in for the national population DB)."""

    citizen_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    birth_date = models.DateField(_("ngày sinh"))
    gender = models.CharField(_("giới tính"), max_length=10, blank=True)
    permanent_address = models.CharField(_("nơi thường trú"), max_length=500)
    id_card_issued_at = models.DateField(_("ngày cấp thẻ căn cước"), null=True, blank=True)

    class Meta:
        verbose_name = _("công dân (CSDL dân cư tham chiếu)")
        verbose_name_plural = _("công dân (CSDL dân cư tham chiếu)")
        ordering = ["citizen_id"]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.full_name}"


class ReferenceBusiness(models.Model):
    """A row of the local reference business register (stands in for the national business DB)."""

    tax_code = models.CharField(_("mã số doanh nghiệp"), max_length=14, unique=True)
    name = models.CharField(_("tên doanh nghiệp"), max_length=255)
    head_office_address = models.CharField(_("địa chỉ trụ sở"), max_length=500)
    legal_representative = models.CharField(_("người đại diện theo pháp luật"), max_length=255, blank=True)
    registered_at = models.DateField(_("ngày đăng ký lần đầu"), null=True, blank=True)

    class Meta:
        verbose_name = _("doanh nghiệp (CSDL đăng ký doanh nghiệp tham chiếu)")
        verbose_name_plural = _("doanh nghiệp (CSDL đăng ký doanh nghiệp tham chiếu)")
        ordering = ["tax_code"]

    def __str__(self) -> str:
        return f"{self.tax_code} {self.name}"


class ConsultationFile(models.Model):
    """A file of a consultation (xin ý kiến, `dossiers.models.Consultation`): attached to the question or to
    the answer, or the answer itself as a PDF signed with the answering unit's certificate. Each link keeps
    the name its uploader gave (the blob is shared by content, like a `ComponentFile`'s)."""

    class Role(models.TextChoices):
        QUESTION = "question", _("tệp kèm theo xin ý kiến")
        ANSWER = "answer", _("tệp kèm theo trả lời")
        SIGNED_ANSWER = "signed_answer", _("văn bản trả lời ký số")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="files")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("loại tệp"), max_length=20, choices=Role.choices)
    name = models.CharField(_("tên tệp"), max_length=255)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("thời điểm đính kèm"))
    # The signed answer's certificate (SIGNED_ANSWER only).
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("tệp xin ý kiến")
        verbose_name_plural = _("tệp xin ý kiến")
        ordering = ["consultation", "role", "pk"]

    def __str__(self) -> str:
        return self.name
