"""Development periodic runner: runs the CKAN commands of a crontab-style file when due.

    python scripts/periodic.py --ini .local/dev.ini --crontab config/crontab

CKAN has no scheduler; in production the same lines go into cron (see README). Each line
is five cron fields followed by the arguments of ``ckan -c <ini>``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import signal
import subprocess
import sys
import threading

from croniter import croniter


def read_crontab(path: str) -> list[tuple[str, list[str]]]:
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 5)
            if len(parts) < 6:
                raise SystemExit(f"periodic: bad crontab line (need 5 fields and a command): {line}")
            spec, cmd = " ".join(parts[:5]), shlex.split(parts[5])
            if not croniter.is_valid(spec):
                raise SystemExit(f"periodic: bad cron expression {spec!r} in {path}")
            entries.append((spec, cmd))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--crontab", required=True)
    args = parser.parse_args()
    entries = read_crontab(args.crontab)
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    now = dt.datetime.now()
    schedule = [(croniter(spec, now), cmd) for spec, cmd in entries]
    due = [it.get_next(dt.datetime) for it, _ in schedule]
    print(f"periodic: {len(entries)} commands from {args.crontab}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        now = dt.datetime.now()
        for i, (it, cmd) in enumerate(schedule):
            if due[i] <= now:
                print(f"{now:%Y-%m-%d %H:%M:%S} run: ckan {shlex.join(cmd)}", flush=True)
                result = subprocess.run([ckan, "-c", args.ini, *cmd])
                print(f"    exit {result.returncode}", flush=True)
                due[i] = it.get_next(dt.datetime)
        stop.wait(15)


if __name__ == "__main__":
    main()
