"""Backup and restore of a whole installation (`motcua backup`, `motcua restore`).

A backup is one uncompressed tar file, written 0600 under a temporary name and renamed when complete:

- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (an online copy made with
  SQLite's backup API, consistent while the application writes);
- `storage/<name>`: every file of Django's default storage (local disk or S3-compatible), walked through the
  storage API;
- `pki/<path>`: the signing keys and certificates (`core.paths.pki_dir()`): secrets;
- `manifest.json` (last): format version, creation time, database engine and server version, the last
  applied migration of each app, and the SHA-256 and size of every other member.

Restore checks every member against the manifest and the migrations against this code before it changes
anything, refuses a database that already holds data unless forced, then writes the stored files (additive:
names follow the content), restores the database in one transaction (`pg_restore --single-transaction`;
SQLite through the backup API, so the file is never half-copied), and last swaps the PKI directory, staged
beside it, into place (the directory it replaces is kept aside when it held other keys).
"""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import backup_database as database
from motcua.core.backup_database import BackupError as BackupError  # used as backup.BackupError
from motcua.core.paths import pki_dir

FORMAT = "motcua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
STORAGE, PKI = "storage/", "pki/"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    engine: str
    vendor_version: str
    database_bytes: int
    files: int
    file_bytes: int
    keys: int


@dataclass(frozen=True)
class RestoreReport:
    engine: str
    database_bytes: int
    files_written: int
    files_present: int
    file_bytes: int
    keys: int
    keys_set_aside: Path | None
    pending_migrations: int


# --- backup --------------------------------------------------------------------------------------------


def create_backup(*, output: Path | None = None, now: datetime | None = None) -> BackupReport:
    """Write a backup file; `output` is the file's path (`*.tar`) or a directory (default VAR_DIR/backups)."""
    stamp = timezone.localtime(now or timezone.now())
    target = _target_path(output, stamp)
    if target.exists():
        raise BackupError(_("Tệp %(path)s đã có; không ghi đè.") % {"path": target})
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = database.current_engine()
    migrations = applied_migrations()
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix=".motcua-backup-", dir=target.parent) as work:
        partial = Path(work) / "backup.tar"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            os.fchmod(raw.fileno(), 0o600)  # whatever the umask: the keys are inside
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                # The database first, the files after: a file is written before its row commits, so every
                # row of the dump finds its file in the storage walked afterwards.
                dump = Path(work) / DATABASE_MEMBERS[engine]
                dumped = database.dump(engine, dump)
                with dump.open("rb") as handle:
                    members[dump.name] = _add(tar, dump.name, handle, dump.stat().st_size, mtime=stamp)
                dump.unlink()
                storage = default_storage
                for name in storage_names(storage):
                    with storage.open(name, "rb") as handle:
                        members[STORAGE + name] = _add(tar, STORAGE + name, handle, storage.size(name), stamp)
                for relative, path in _pki_files(pki_dir()):
                    with path.open("rb") as handle:
                        member = _add(tar, PKI + relative, handle, path.stat().st_size, stamp, path)
                        members[PKI + relative] = member
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": stamp.isoformat(),
                    "motcua_version": _motcua_version(),
                    "database": {"engine": engine, **dumped},
                    "migrations": migrations,
                    "storage_backend": f"{type(storage).__module__}.{type(storage).__qualname__}",
                    "members": members,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
                _add(tar, MANIFEST, BytesIO(data), len(data), stamp)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    _fsync_directory(target.parent)
    files = [m for name, m in members.items() if name.startswith(STORAGE)]
    return BackupReport(
        path=target,
        size=target.stat().st_size,
        engine=engine,
        vendor_version=dumped["vendor_version"],
        database_bytes=members[DATABASE_MEMBERS[engine]]["size"],
        files=len(files),
        file_bytes=sum(m["size"] for m in files),
        keys=sum(1 for name in members if name.startswith(PKI)),
    )


def storage_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file of the storage, through its API (listdir), so local disk and S3 read alike."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local storage whose root was never created holds nothing
        return
    prefix = f"{directory}/" if directory else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(directories):
        yield from storage_names(storage, prefix + sub)


def applied_migrations() -> dict[str, str]:
    """The last applied migration of each app (the one with the most ancestors)."""
    loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
    last: dict[str, tuple[int, str]] = {}
    for app, name in loader.applied_migrations:
        if (app, name) not in loader.graph.nodes:
            continue
        depth = len(loader.graph.forwards_plan((app, name)))
        if app not in last or depth > last[app][0]:
            last[app] = (depth, name)
    return {app: name for app, (_depth, name) in sorted(last.items())}


def _target_path(output: Path | None, stamp: datetime) -> Path:
    name = f"motcua-backup-{stamp:%Y%m%dT%H%M%S}.tar"
    if output is None:
        return Path(settings.VAR_DIR) / "backups" / name
    return output if output.suffix == ".tar" else output / name


def _add(
    tar: tarfile.TarFile, name: str, handle: IO[bytes], size: int, mtime: datetime, path: Path | None = None
) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = size, int(mtime.timestamp())
    info.mode = (path.stat().st_mode & 0o777) if path else 0o600
    reader = _Hashing(handle)
    tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": size}


class _Hashing:
    """A file read through while its SHA-256 is computed."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _pki_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The PKI directory's files, without the lock and half-written temporary files (names with a dot)."""
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(directory) / name
                yield path.relative_to(root).as_posix(), path


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _motcua_version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return ""


# --- restore -------------------------------------------------------------------------------------------


def read_backup(path: Path) -> dict[str, Any]:
    """The manifest of a backup file whose every member matches its SHA-256 and size; BackupError else."""
    try:
        with tarfile.open(path, "r:") as tar:
            manifest = _manifest(tar)
            expected: dict[str, dict[str, Any]] = manifest["members"]
            seen = set()
            for info in tar:
                if info.name == MANIFEST:
                    continue
                if info.name not in expected or info.name in seen or not info.isfile():
                    raise BackupError(_("Bản sao lưu có thành phần lạ: %(name)s.") % {"name": info.name})
                seen.add(info.name)
                digest = _sha256(tar.extractfile(info))
                if digest != expected[info.name]["sha256"] or info.size != expected[info.name]["size"]:
                    raise BackupError(
                        _(
                            "Bản sao lưu bị hỏng hoặc bị sửa: %(name)s không khớp mã băm SHA-256 "
                            "trong manifest."
                        )
                        % {"name": info.name}
                    )
    except (OSError, tarfile.TarError, ValueError, KeyError) as error:
        raise BackupError(
            _("Không đọc được bản sao lưu %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    if missing := sorted(set(expected) - seen):
        raise BackupError(_("Bản sao lưu thiếu thành phần: %(names)s.") % {"names": ", ".join(missing[:5])})
    return manifest


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(_member_bytes(tar, MANIFEST))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("Tệp không phải bản sao lưu motcua định dạng %(v)s.") % {"v": FORMAT_VERSION})
    for name in manifest["members"]:
        parts = PurePosixPath(name).parts
        database = name in DATABASE_MEMBERS.values()
        if not database and (not name.startswith((STORAGE, PKI)) or ".." in parts or name.startswith("/")):
            raise BackupError(_("Bản sao lưu có thành phần lạ: %(name)s.") % {"name": name})
    return manifest


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(tar.getmember(name))
    if handle is None:
        raise BackupError(_("Bản sao lưu có thành phần lạ: %(name)s.") % {"name": name})
    return handle.read()


def _sha256(handle: IO[bytes] | None) -> str:
    digest = hashlib.sha256()
    while handle is not None and (chunk := handle.read(CHUNK)):
        digest.update(chunk)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256(handle)


def check_migrations(manifest: dict[str, Any]) -> None:
    """Refuse a backup made by newer code: a migration it had applied that this code does not know."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes) | {r for m in loader.replacements.values() for r in m.replaces}
    newer = [f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known]
    if newer:
        raise BackupError(
            _(
                "Bản sao lưu được tạo bởi phiên bản motcua mới hơn mã đang chạy (migration chưa có ở đây: "
                "%(names)s). Hãy cập nhật motcua lên phiên bản đã tạo bản sao lưu rồi khôi phục lại."
            )
            % {"names": ", ".join(newer)}
        )


def restore_backup(path: Path, *, force: bool = False) -> RestoreReport:
    """Restore a backup file into this installation's database, default storage and PKI directory."""
    manifest = read_backup(path)
    check_migrations(manifest)
    engine = database.current_engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            _(
                "Bản sao lưu là cơ sở dữ liệu %(theirs)s, cấu hình đang dùng %(ours)s: "
                "không khôi phục chéo được."
            )
            % {"theirs": manifest["database"]["engine"], "ours": engine}
        )
    if not force and database.holds_data():
        raise BackupError(
            _(
                "Cơ sở dữ liệu đang có dữ liệu (tài khoản, đơn vị). Khôi phục sẽ thay thế toàn bộ: chạy lại "
                "với --force nếu chắc chắn, hoặc khôi phục vào một cơ sở dữ liệu mới, trống."
            )
        )
    members = manifest["members"]
    database_member = DATABASE_MEMBERS[engine]
    keys_root = pki_dir()
    keys_root.parent.mkdir(parents=True, exist_ok=True)
    with (
        tarfile.open(path, "r:") as tar,
        tempfile.TemporaryDirectory(prefix=".motcua-restore-") as work,
        tempfile.TemporaryDirectory(prefix=f".{keys_root.name}.restore-", dir=keys_root.parent) as staged,
    ):
        dump = Path(work) / database_member
        _extract(tar, database_member, dump, members[database_member]["sha256"], mode=0o600)
        if engine == "sqlite":
            database.check_sqlite_copy(dump)
        staged_keys = Path(staged) / "pki"
        staged_keys.mkdir(mode=0o700)
        keys = [name for name in members if name.startswith(PKI)]
        for name in keys:
            info = tar.getmember(name)
            target = staged_keys / name.removeprefix(PKI)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _extract(tar, name, target, members[name]["sha256"], mode=info.mode & 0o644)
        written, present = _restore_storage(tar, members)
        database.restore(
            engine, dump, dump_tool_version=str(manifest["database"].get("dump_tool_version", ""))
        )
        aside = _swap_directory(staged_keys, keys_root)
    file_members = [m for name, m in members.items() if name.startswith(STORAGE)]
    return RestoreReport(
        engine=engine,
        database_bytes=members[database_member]["size"],
        files_written=written,
        files_present=present,
        file_bytes=sum(m["size"] for m in file_members),
        keys=len(keys),
        keys_set_aside=aside,
        pending_migrations=_pending_migrations(),
    )


def _extract(tar: tarfile.TarFile, name: str, target: Path, sha256: str, *, mode: int) -> None:
    source = tar.extractfile(tar.getmember(name))
    digest = hashlib.sha256()
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as out:
        while source is not None and (chunk := source.read(CHUNK)):
            digest.update(chunk)
            out.write(chunk)
    os.chmod(target, mode)
    if digest.hexdigest() != sha256:  # the file changed since it was checked
        raise BackupError(_("Bản sao lưu bị thay đổi trong khi khôi phục: %(name)s.") % {"name": name})


def _restore_storage(tar: tarfile.TarFile, members: dict[str, dict[str, Any]]) -> tuple[int, int]:
    """Write the stored files into the default storage; a file already there with the same bytes stays."""
    storage, written, present = default_storage, 0, 0
    for member, expected in members.items():
        if not member.startswith(STORAGE):
            continue
        name = member.removeprefix(STORAGE)
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if _sha256(existing) == expected["sha256"]:
                    present += 1
                    continue
            storage.delete(name)
        content = File(tar.extractfile(tar.getmember(member)), name=PurePosixPath(name).name)
        content.size = expected["size"]
        if (saved := storage.save(name, content)) != name:
            raise BackupError(
                _("Kho tệp đã lưu %(name)s dưới tên khác (%(saved)s).") % {"name": name, "saved": saved}
            )
        written += 1
    return written, present


def _swap_directory(staged: Path, target: Path) -> Path | None:
    """Put the staged directory in the target's place; a target holding other files is kept aside."""
    aside = None
    if target.exists():
        current = {rel: _file_sha256(p) for rel, p in _pki_files(target)}
        wanted = {rel: _file_sha256(p) for rel, p in _pki_files(staged)}
        if current and current != wanted:
            aside = target.with_name(f"{target.name}.before-restore-{timezone.now():%Y%m%dT%H%M%S}")
            os.rename(target, aside)
        else:
            shutil.rmtree(target)
    os.rename(staged, target)
    os.chmod(target, 0o700)
    return aside


def _pending_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
