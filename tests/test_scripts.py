"""The service scripts give one clear line for the errors a newcomer meets."""
import os
import shutil
import socket
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.fixture
def checkout(tmp_path):
    """A scratch checkout with a copy of scripts/lib.sh: what lib.sh writes (.local/run/…)
    lands there, not in the real checkout."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "lib.sh", tmp_path / "scripts" / "lib.sh")
    return tmp_path


def run_lib(checkout, snippet, **env):
    return subprocess.run(
        ["bash", "-c", f'source "{checkout}/scripts/lib.sh"; {snippet}'],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env})


def test_taken_port_names_the_port_and_the_fix(checkout):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = run_lib(checkout, f"require_free_port {port} Redis LYG_REDIS_PORT")
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith(f"ERROR: port {port} for Redis is taken")
    assert "LYG_REDIS_PORT=<port>" in line
    assert len(line.splitlines()) == 1


def test_free_port_passes(checkout):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run_lib(checkout, f"require_free_port {port} Redis LYG_REDIS_PORT").returncode == 0


def test_stale_pid_file_is_removed_with_a_note(checkout):
    dead = subprocess.Popen(["true"])
    dead.wait()
    pidfile = checkout / ".local/run/lyg-test-stale.pid"
    pidfile.parent.mkdir(parents=True)
    pidfile.write_text(str(dead.pid))
    result = run_lib(checkout, "pid_alive lyg-test-stale && echo alive || echo dead")
    assert result.stdout.strip().endswith("dead")
    assert "removed stale PID file" in result.stdout
    assert not pidfile.exists()


def test_service_that_dies_while_starting_reports_its_log(checkout, tmp_path):
    log = tmp_path / "svc.log"
    result = run_lib(checkout, f'start_bg lyg-test-dies "{log}" bash -c "echo boom: core failed; exit 3"; '
                     f'wait_for "Test service" 5 lyg-test-dies "{log}" false')
    assert result.returncode == 1
    assert "boom: core failed" in result.stderr
    assert "ERROR: Test service exited while starting" in result.stderr
