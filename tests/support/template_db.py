"""Each test process's database as a copy of one migrated template, instead of running the migrations once
per xdist worker (each run costs ~20 CPU-seconds on these machines, most of it Django rendering model
states).

The first worker to get here builds the template by running `migrate` in a subprocess, under a file lock;
the others wait for it, then each copies it (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite: the file).
Django then opens the copy as a kept database and runs `migrate` on it as always: every migration applied,
it only checks them and runs the post-migrate signals, so a template older than the code could only make
the run slower, never different. The template's name carries a digest of every migration file, so a
changed migration builds a new one.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import motcua

SOURCE = Path(motcua.__file__).resolve().parent
STALE = 24 * 3600  # SQLite templates of other digests older than this are removed


def migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(SOURCE.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(SOURCE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "from motcua.cli import main; main(['migrate', '--noinput', '-v', '0'])"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"migrating the test template failed:\n{done.stdout}\n{done.stderr}")


def copy_template(connection) -> None:  # a django.db connection whose settings name the test database
    """Make the test database of `connection` a copy of the migrated template (built if missing)."""
    key = migrations_digest()
    test_name = connection.creation._get_test_db_name()
    tmp = Path(tempfile.gettempdir())
    with _locked(tmp / f"motcua-template-{connection.vendor}-{key}.lock"):
        if connection.vendor == "sqlite":
            template = tmp / f"motcua-template-{key}.sqlite3"
            if not template.exists():
                _remove_stale_sqlite(tmp, keep=template)
                building = template.with_suffix(".building")
                building.unlink(missing_ok=True)
                _migrate(f"sqlite:///{building}")
                os.replace(building, template)
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{test_name}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(template, test_name)
        elif connection.vendor == "postgresql":
            template = f"motcua_template_{key}"
            with connection._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
                if cursor.fetchone() is None:
                    building = f"{template}_building"
                    cursor.execute(f'DROP DATABASE IF EXISTS "{building}"')
                    cursor.execute(f'CREATE DATABASE "{building}"')
                    _migrate(_with_database(os.environ["DATABASE_URL"], building))
                    cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
                cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
                cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        else:
            raise NotImplementedError(connection.vendor)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _remove_stale_sqlite(tmp: Path, *, keep: Path) -> None:
    now = time.time()
    for path in tmp.glob("motcua-template-*.sqlite3"):
        if path != keep and now - path.stat().st_mtime > STALE:
            path.unlink(missing_ok=True)
