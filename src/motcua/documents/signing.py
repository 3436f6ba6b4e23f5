"""PAdES signatures of electronic results (pyHanko) and the demo PKI they are made with.

Demo PKI. On first need (or `motcua pki`, run by `make run`), a demo root CA and one signing certificate per
agency are created under `settings.VAR_DIR / "pki"` (override: `MOTCUA_PKI_DIR`): `ca.key`/`ca.crt` and
`units/<agency code>.key|.crt`. Keys are written 0600 in a 0700 directory and never leave it (`/var/` is
ignored by git). ECDSA P-256 keys: creating certificates for all ~300 agencies takes well under a second.
A file lock serialises creation, so two processes starting at once do not make two different CAs.

Production replaces the demo CA by the government CA (Ban Cơ yếu Chính phủ) or a licensed provider and the
key files by an HSM (pyHanko's PKCS#11 signer); `verify_pdf` then trusts that root instead.

Verification (`verify_pdf`) validates with pyHanko against the CA's root: a byte changed inside the signed
range breaks the digest; anything appended after signing (an incremental update) is judged by pyHanko's
difference analysis; both are reported as tampered.
"""

import asyncio
import fcntl
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.core.models import OrgUnit
from motcua.core.paths import pki_dir

CA_YEARS = 10
UNIT_YEARS = 2
SIGNATURE_FIELD = "ChuKyDonVi"


# --- the demo PKI --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")


def ensure_ca() -> Credentials:
    """The demo root CA, created on first call."""
    with _locked():
        return _ca()


def unit_credentials(unit: OrgUnit) -> Credentials:
    """The agency's signing key and certificate, created (or renewed when expired, or when the CA changed)
    on first need."""
    with _locked():
        ca = _ca()
        key_path, cert_path = _unit_paths(unit)
        if key_path.exists() and cert_path.exists():
            existing = Credentials(_read_key(key_path), _read_cert(cert_path))
            if _still_good(existing.certificate, ca.certificate):
                return existing
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = _issue(
            subject=_name(unit.name, organisational_unit=unit.code),
            public_key=key.public_key(),
            issuer=ca,
            years=UNIT_YEARS,
            is_ca=False,
        )
        _write_key(key_path, key)
        _write_public(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
        return Credentials(key, certificate)


def ensure_units(units: list[OrgUnit]) -> int:
    """Certificates for the given agencies (the `motcua pki` command); returns how many exist now."""
    for unit in units:
        unit_credentials(unit)
    return len(units)


@contextmanager
def _locked() -> Iterator[None]:
    root = pki_dir()
    (root / "units").mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    with open(root / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ca() -> Credentials:
    root = pki_dir()
    key_path, cert_path = root / "ca.key", root / "ca.crt"
    if key_path.exists() and cert_path.exists():
        return Credentials(_read_key(key_path), _read_cert(cert_path))
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"motcua Demo Root CA {settings.MOTCUA_PROVINCE_CODE}", organisational_unit="Demo PKI")
    certificate = _issue(
        subject=name, public_key=key.public_key(), issuer=None, years=CA_YEARS, is_ca=True, signing_key=key
    )
    _write_key(key_path, key)
    _write_public(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return Credentials(key, certificate)


def _name(common_name: str, *, organisational_unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua (demo)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organisational_unit),
            x509.NameAttribute(NameOID.COMMON_NAME, _utf8_prefix(common_name, 64)),
        ]
    )


def _utf8_prefix(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-8 bytes: X.509 counts bytes, and a Vietnamese unit
    name of 40 letters can pass 64 of them (its certificate, and so its e-results, could not be made)."""
    return text.encode()[:limit].decode(errors="ignore").strip() or "?"


def _issue(
    *,
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    issuer: Credentials | None,
    years: int,
    is_ca: bool,
    signing_key: ec.EllipticCurvePrivateKey | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    key = issuer.key if issuer else signing_key
    assert key is not None  # self-signed (the CA's own certificate): its key is given
    return builder.sign(key, hashes.SHA256())


def _still_good(certificate: x509.Certificate, ca: x509.Certificate) -> bool:
    now = datetime.now(UTC)
    if certificate.issuer != ca.subject or not (
        certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc - timedelta(days=1)
    ):
        return False
    try:
        certificate.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _unit_paths(unit: OrgUnit) -> tuple[Path, Path]:
    base = pki_dir() / "units" / unit.code
    return base.with_suffix(base.suffix + ".key"), base.with_suffix(base.suffix + ".crt")


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _atomic_write(path, data, mode=0o600)


def _write_public(path: Path, data: bytes) -> None:
    _atomic_write(path, data, mode=0o644)


def _atomic_write(path: Path, data: bytes, *, mode: int) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, mode)  # whatever the umask
    os.replace(temporary, path)


def _read_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningError(f"unexpected key type in {path.name}")
    return key


def _read_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


# --- signing -------------------------------------------------------------------------------------------


def outside_event_loop[T](work: Callable[[], T]) -> T:
    """Run `work` (pyHanko calls `asyncio.run`) in a worker thread when this thread already runs an event
    loop (an ASGI worker, a Playwright-driven test), else here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def unit_signer(unit: OrgUnit) -> tuple[signers.SimpleSigner, Credentials]:
    """pyHanko's signer with the agency's key and certificate (its chain to the CA), and the credentials."""
    credentials = unit_credentials(unit)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(credentials.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            credentials.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(ensure_ca().certificate)]),
    )
    return signer, credentials


def sign_pdf(pdf: bytes, *, unit: OrgUnit, reason: str, location: str) -> tuple[bytes, Credentials]:
    """The PDF signed (PAdES baseline B) with the agency's certificate; returns it and the credentials."""
    signer, credentials = unit_signer(unit)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=unit.name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    output = outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer))
    return output.getvalue(), credentials


# --- verification --------------------------------------------------------------------------------------


# Validating a signature costs time that grows with the revisions after it: a PDF with 80 signatures took
# 40 s of a worker. An e-result carries one or two; more than this is refused, unverified.
MAX_SIGNATURES = 10


class Verdict:
    VALID = "valid"
    TAMPERED = "tampered"
    UNTRUSTED = "untrusted"
    UNSIGNED = "unsigned"
    UNREADABLE = "unreadable"
    TOO_MANY_SIGNATURES = "too_many_signatures"


@dataclass(frozen=True)
class Verification:
    verdict: str
    signer: str = ""
    signed_at: datetime | None = None
    certificate_serial: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def verify_pdf(data: bytes) -> Verification:
    """Validate the PDF's signatures against the demo CA: valid, tampered, untrusted, unsigned, unreadable,
    or too many signatures to validate (more than MAX_SIGNATURES: none is validated)."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # hostile or damaged input: pyHanko raises many kinds of error
        return Verification(Verdict.UNREADABLE)
    if not signatures:
        return Verification(Verdict.UNSIGNED)
    if len(signatures) > MAX_SIGNATURES:
        return Verification(Verdict.TOO_MANY_SIGNATURES)
    context = ValidationContext(
        trust_roots=[_asn1_cert(ensure_ca().certificate)], allow_fetching=False, revocation_mode="soft-fail"
    )
    statuses: list[PdfSignatureStatus | None] = []
    for embedded in signatures:
        try:
            statuses.append(
                outside_event_loop(
                    partial(validate_pdf_signature, embedded, signer_validation_context=context)
                )
            )
        except Exception:
            statuses.append(None)
    # A later revision that only adds signatures and form data (pyHanko's FORM_FILLING: no page content
    # changed), covered by a signature of the whole file (only the last revision's can be), is how a second
    # signer signs (PAdES): the ministry's record with the issuing unit's signature after it. That signature
    # is judged too: untrusted or broken, the document is.
    countersigned = any(s is not None and s.coverage == SignatureCoverageLevel.ENTIRE_FILE for s in statuses)
    verdicts = [
        Verification(Verdict.TAMPERED) if status is None else _verdict(status, countersigned=countersigned)
        for status in statuses
    ]
    # The document is as good as its worst signature; report that one.
    order = [Verdict.TAMPERED, Verdict.UNTRUSTED, Verdict.VALID]
    return min(verdicts, key=lambda v: order.index(v.verdict))


def _verdict(status: PdfSignatureStatus, *, countersigned: bool = False) -> Verification:
    certificate = status.signing_cert
    signer = certificate.subject.native.get("common_name", "") if certificate is not None else ""
    serial = format(certificate.serial_number, "x") if certificate is not None else ""
    signed_at = status.signer_reported_dt
    allowed = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}
    if countersigned:
        allowed.add(ModificationLevel.FORM_FILLING)
    appended = (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE and status.modification_level not in allowed
    )
    if not (status.intact and status.valid) or appended:
        verdict = Verdict.TAMPERED
    elif not status.trusted:
        verdict = Verdict.UNTRUSTED
    else:
        verdict = Verdict.VALID
    return Verification(verdict, signer=signer, signed_at=signed_at, certificate_serial=serial)
