"""`motcua deadline` on a fresh machine: before `migrate` it says what to do, not a traceback."""

import os
import subprocess
import sys


def test_deadline_before_migrate_says_to_migrate(tmp_path):
    env = os.environ | {
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "deadline", "--from", "2026-02-13T10:00", "--days", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "run `motcua migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
