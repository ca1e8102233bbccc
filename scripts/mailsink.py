"""Development SMTP sink: accepts every message on 127.0.0.1 and stores it as an .eml file.

    python scripts/mailsink.py --port 8025 --dir .local/mail

Each file is named <UTC time>-<sequence>.eml and starts with X-Envelope-From / X-Envelope-To
headers, so developers can read notifications and tests can assert them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import signal
import threading

from aiosmtpd.controller import Controller


class StoreHandler:
    def __init__(self, directory: str):
        self.directory = directory
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        with self.lock:
            n = next(self.counter)
        name = f"{stamp}-{os.getpid()}-{n:05d}.eml"
        head = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        tmp = os.path.join(self.directory, "." + name)
        with open(tmp, "wb") as f:
            f.write(head + envelope.original_content)
        os.replace(tmp, os.path.join(self.directory, name))
        print(f"stored {name} for {', '.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(StoreHandler(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"mailsink: listening on {args.host}:{args.port}, storing in {args.dir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
