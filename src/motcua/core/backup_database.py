"""The database half of a backup (core.backup): an online copy out of the running database and its restore
in one transaction.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner --single-transaction`,
the client found on PATH or else the newest /usr/lib/postgresql/*/bin, at least the server's major version,
connected through libpq environment variables built from Django's settings (never a password on a command
line). SQLite: SQLite's own backup API both ways, so that neither copy is ever half-written.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from motcua.core.models import OrgUnit

if TYPE_CHECKING:
    from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

ENGINES = ("postgresql", "sqlite")

# libpq's connection keywords and the environment variables that carry them, so that no password (nor any
# other parameter) ever appears on a command line.
LIBPQ_ENV = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


def current_engine() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in ENGINES:
        raise BackupError(_("Không hỗ trợ sao lưu cơ sở dữ liệu loại %(vendor)s.") % {"vendor": vendor})
    return vendor


def dump(engine: str, destination: Path) -> dict[str, str]:
    """An online, consistent copy of the database into `destination`; returns the server's version."""
    connection = connections[DEFAULT_DB_ALIAS]
    if engine == "sqlite":
        source_path = _sqlite_path()
        source = sqlite3.connect(source_path, timeout=30)
        copy = sqlite3.connect(destination)
        try:
            source.backup(copy)  # one step: a consistent snapshot, writers wait a moment
        finally:
            copy.close()
            source.close()
        return {"vendor_version": sqlite3.sqlite_version}
    connection.ensure_connection()
    server = cast("PostgresWrapper", connection).pg_version
    tool = pg_tool("pg_dump", at_least=server // 10000)
    _run(tool, ["--format=custom", "--no-password", f"--file={destination}"])
    return {"vendor_version": f"{server // 10000}.{server % 10000}", "dump_tool_version": tool.version}


def _sqlite_path() -> str:
    name = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file::memory:") or "mode=memory" in name:
        raise BackupError(_("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được."))
    return name


@dataclass(frozen=True)
class PgTool:
    path: str
    version: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])


def pg_tool(name: str, *, at_least: int) -> PgTool:
    """The PostgreSQL client `name` (PATH first, then the newest /usr/lib/postgresql/*/bin) whose major
    version is at least the server's: an older pg_dump refuses a newer server."""
    candidates = [found] if (found := shutil.which(name)) else []
    candidates += sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key, reverse=True)
    seen = []
    for path in candidates:
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        match = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)?)", out)
        if match is None:
            continue
        tool = PgTool(path, match.group(1))
        if tool.major >= at_least:
            return tool
        seen.append(f"{path} {tool.version}")
    raise BackupError(
        _(
            "Không tìm thấy %(tool)s phiên bản %(major)s trở lên (máy chủ PostgreSQL %(major)s); "
            "đã thấy: %(seen)s."
        )
        % {"tool": name, "major": at_least, "seen": ", ".join(seen) or "-"}
    )


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", Path(path).parent.parent.name))


def libpq_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """Django's connection settings as libpq environment variables (as Django's own parameters: the
    settings' NAME, USER, PASSWORD, HOST and PORT over the same keywords in OPTIONS)."""
    params = {key: value for key, value in settings_dict.get("OPTIONS", {}).items() if key in LIBPQ_ENV}
    for key, setting in (("dbname", "NAME"), ("user", "USER"), ("password", "PASSWORD")):
        if settings_dict.get(setting):
            params[key] = settings_dict[setting]
    for key, setting in (("host", "HOST"), ("port", "PORT")):
        if settings_dict.get(setting):
            params[key] = settings_dict[setting]
    return {LIBPQ_ENV[key]: str(value) for key, value in params.items() if value not in (None, "")}


def _run(tool: PgTool, arguments: list[str]) -> None:
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    env = {**os.environ, **libpq_env(settings_dict)}
    try:
        done = subprocess.run([tool.path, *arguments], env=env, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{tool.path}: {error}") from error
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s thất bại (mã %(code)s): %(error)s")
            % {"tool": Path(tool.path).name, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


def holds_data() -> bool:
    """Whether the database is someone's: any account or org unit (a freshly migrated one has neither)."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.table_names())
    return any(
        model._meta.db_table in tables and model.objects.exists() for model in (get_user_model(), OrgUnit)
    )


def check_sqlite_copy(path: Path) -> None:
    copy = sqlite3.connect(path)
    try:
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    finally:
        copy.close()
    if result != "ok":
        raise BackupError(_("Bản sao cơ sở dữ liệu SQLite hỏng: %(error)s") % {"error": result})


def restore(engine: str, dump: Path, *, dump_tool_version: str) -> None:
    """Replace the database by the dump (the whole of it, or nothing)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if engine == "sqlite":
        target = _sqlite_path()
        connections.close_all()
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        source, destination = sqlite3.connect(dump), sqlite3.connect(target, timeout=30)
        try:
            # Through SQLite itself, in one transaction: a reader never sees a half-copied file, a crash
            # midway leaves the old database, and a WAL or journal beside the file stays consistent.
            source.backup(destination)
        except sqlite3.Error as error:
            raise BackupError(
                _("Không ghi được cơ sở dữ liệu SQLite: %(error)s") % {"error": error}
            ) from error
        finally:
            destination.close()
            source.close()
        return
    connection.ensure_connection()
    dumped_by = int(dump_tool_version.split(".")[0] or 0)
    tool = pg_tool(
        "pg_restore", at_least=max(cast("PostgresWrapper", connection).pg_version // 10000, dumped_by)
    )
    name = connection.settings_dict["NAME"]
    connections.close_all()
    _run(
        tool,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={name}",
            str(dump),
        ],
    )
