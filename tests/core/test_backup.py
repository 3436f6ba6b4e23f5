"""`motcua backup` and `motcua restore`: the demo province, with uploaded scans and a signed e-result,
survives the loss of its database, stored files and keys (every dossier, event, file by hash and signature
verification identical); a tampered or newer backup is refused with nothing changed.

The tests run the commands in this process against the test database (transactional: the commands commit,
and restore replaces the database under the test's own connection, which is closed first)."""

import hashlib
import io
import json
import shutil
import stat
import tarfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from PIL import Image

from motcua.core import backup, backup_database
from motcua.core.models import OrgUnit, User
from motcua.documents import services as documents
from motcua.documents.models import ComponentFile, ElectronicResult, StoredFile
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import Status
from tests.documents.once_only import scan
from tests.factories import build_province

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    return tmp_path


def png(seed: int) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (seed % 256, 80, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"anh-{seed}.png", buffer.getvalue(), content_type="image/png")


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def directory_files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): file_sha256(p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def snapshot(installation: Path) -> dict[str, Any]:
    """Everything the round trip must keep, as full lists."""
    results = ElectronicResult.objects.select_related("dossier", "stored_file").order_by("pk")
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values()),
        "events": list(DossierEvent.objects.order_by("pk").values()),
        "component_files": list(ComponentFile.objects.order_by("pk").values()),
        "stored_files": [
            (f.pk, f.sha256, file_sha256(stored_bytes(f.file.name)), f.size, f.file.name)
            for f in StoredFile.objects.order_by("pk")
        ],
        "storage": {name: file_sha256(stored_bytes(name)) for name in backup.storage_names(default_storage)},
        "signatures": [
            (
                r.dossier.code,
                documents.verify_dossier_code(code=r.dossier.code),
                documents.verify_document(data=stored_bytes(r.stored_file.file.name)),
            )
            for r in results
        ],
        "keys": directory_files(installation / "pki"),
    }


def destroy(installation: Path) -> None:
    """The database (a fresh empty one in its place), the stored files and the keys: gone."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        connections.close_all()
    shutil.rmtree(installation / "media")
    shutil.rmtree(installation / "pki")
    assert connection.introspection.table_names() == []


def the_backup(installation: Path) -> Path:
    (archive,) = (installation / "backups").glob("motcua-backup-*.tar")
    return archive


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


@pytest.fixture
def demo_province(installation) -> None:
    """`motcua demo` (its returned dossier has a signed e-result) plus scans and photos uploaded at the
    counter to the commune's open dossiers."""
    run("demo")
    counter = User.objects.get(username="tiepnhan.thanhvinh")
    open_dossiers = Dossier.objects.filter(
        receiving_unit=counter.org_unit,
        status__in=[Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED],
    )
    for seed, dossier in enumerate(open_dossiers.order_by("pk")[:3]):
        component = dossier.components.order_by("pk").first()
        files = [
            documents.store_upload(uploaded=scan(f"{dossier.code}"), acting_user=counter),
            documents.store_upload(uploaded=png(seed), acting_user=counter),
        ]
        documents.attach_files(component=component, files=files, acting_user=counter)


@transactional
def test_a_demo_province_survives_losing_everything(demo_province, installation):
    before = snapshot(installation)
    assert len(before["dossiers"]) >= 6 and len(before["events"]) > len(before["dossiers"])
    assert len(before["component_files"]) >= 6 and len(before["storage"]) >= 7
    assert before["signatures"] and all(web.valid and pdf.valid for _code, web, pdf in before["signatures"])
    assert any(name.endswith(".key") for name in before["keys"])

    printed = run("backup", "--output", str(installation / "backups"))
    archive = the_backup(installation)
    assert str(archive) in printed and f"{len(before['storage'])} tệp đã lưu" in printed
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary file left
    manifest = manifest_of(archive)
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["migrations"] == backup.applied_migrations()
    assert manifest["migrations"]["dossiers"].startswith("00")
    assert {n.removeprefix("storage/") for n in manifest["members"] if n.startswith("storage/")} == set(
        before["storage"]
    )
    assert {n.removeprefix("pki/") for n in manifest["members"] if n.startswith("pki/")} == set(
        before["keys"]
    )

    with pytest.raises(CommandError, match="đang có dữ liệu"):
        run("restore", str(archive))

    destroy(installation)
    printed = run("restore", str(archive))
    assert f"{len(before['storage'])} tệp ghi mới" in printed
    assert snapshot(installation) == before
    for key in (installation / "pki").rglob("*.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600

    # Over a database and storage that moved on since: --force puts back the backup's state.
    OrgUnit.objects.create(code="X.SAU.SAO.LUU", name="Đơn vị tạo sau khi sao lưu", kind="commune")
    default_storage.delete(before["stored_files"][0][4])
    printed = run("restore", "--force", str(archive))
    assert "1 tệp ghi mới" in printed
    assert snapshot(installation) == before
    assert not OrgUnit.objects.filter(code="X.SAU.SAO.LUU").exists()


# --- refused backups --------------------------------------------------------------------------------------


@pytest.fixture
def small_backup(installation) -> Path:
    """A small province with one scan and the demo CA, backed up; then the installation moves on (another
    scan, another unit), so that a refused restore can be seen to have changed nothing."""
    p = build_province()
    documents.store_upload(uploaded=scan("truoc"), acting_user=p.counter)
    run("pki")
    run("backup", "--output", str(installation / "backups"))
    documents.store_upload(uploaded=scan("sau"), acting_user=p.counter)
    OrgUnit.objects.create(code="X.SAU", name="Đơn vị sau", kind="commune")
    return the_backup(installation)


def state(installation: Path) -> dict[str, Any]:
    return {
        "units": list(OrgUnit.objects.order_by("pk").values()),
        "stored_files": list(StoredFile.objects.order_by("pk").values()),
        "storage": {name: file_sha256(stored_bytes(name)) for name in backup.storage_names(default_storage)},
        "keys": directory_files(installation / "pki"),
    }


def flip_one_byte(archive: Path, member: str) -> None:
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    with archive.open("r+b") as handle:
        handle.seek(info.offset_data + info.size // 2)
        byte = handle.read(1)
        handle.seek(-1, io.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x01]))


@transactional
@pytest.mark.parametrize("kind", ["database", "storage/", "pki/ca.key"])
def test_a_tampered_backup_is_refused_with_nothing_changed(small_backup, installation, kind):
    members = manifest_of(small_backup)["members"]
    member = next(name for name in members if name.startswith(kind))
    flip_one_byte(small_backup, member)
    before = state(installation)
    with pytest.raises(CommandError, match="bị hỏng hoặc bị sửa") as refused:
        run("restore", "--force", str(small_backup))
    assert member in str(refused.value)
    assert state(installation) == before


@transactional
def test_a_backup_of_newer_code_is_refused(small_backup, installation, tmp_path):
    newer = tmp_path / "newer.tar"
    with tarfile.open(small_backup) as source, tarfile.open(newer, "w") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["dossiers"] = "9999_from_a_later_version"
                data = json.dumps(manifest).encode()
                info.size = len(data)
            target.addfile(info, BytesIO(data))
    before = state(installation)
    with pytest.raises(CommandError, match="mới hơn") as refused:
        run("restore", "--force", str(newer))
    assert "dossiers.9999_from_a_later_version" in str(refused.value)
    assert state(installation) == before


@pytest.mark.postgres_only
def test_the_postgresql_client_and_its_connection():
    if not shutil.which("pg_dump") and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_dump")):
        pytest.skip("no PostgreSQL client here")
    tool = backup_database.pg_tool("pg_dump", at_least=0)
    assert tool.major >= 10 and Path(tool.path).exists()
    with pytest.raises(backup_database.BackupError, match="pg_dump"):
        backup_database.pg_tool("pg_dump", at_least=tool.major + 100)
    env = backup_database.libpq_env(
        {
            "NAME": "motcua",
            "USER": "app",
            "PASSWORD": "s3cret",
            "HOST": "",
            "PORT": "",
            "OPTIONS": {"host": "/run/postgresql", "sslmode": "require", "isolation_level": 1},
        }
    )
    assert env == {
        "PGDATABASE": "motcua",
        "PGUSER": "app",
        "PGPASSWORD": "s3cret",
        "PGHOST": "/run/postgresql",
        "PGSSLMODE": "require",
    }
