"""A stand-in for the booth's browser: `python -m tests.support.standin_browser [flags…] URL`.

It records its arguments and the page it was given (fetched from URL, as a browser would) to
$STANDIN_DIR/launch-<pid>.json, and then, like a person hanging up, tells the page's beacon that
the call ended after $STANDIN_END_AFTER seconds (if set); it notes when it is terminated."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path


def main() -> None:
    out = Path(os.environ["STANDIN_DIR"]) / f"launch-{os.getpid()}.json"
    record = {"argv": sys.argv[1:], "started": time.time()}
    url = sys.argv[-1]
    with urllib.request.urlopen(url, timeout=10) as answer:
        record["page"] = answer.read().decode("utf-8")
        record["csp"] = answer.headers.get("Content-Security-Policy", "")

    def save() -> None:
        out.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    def terminated(_signum, _frame) -> None:
        record["terminated"] = time.time()
        save()
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminated)
    save()
    end_after = os.environ.get("STANDIN_END_AFTER")
    if end_after:
        time.sleep(float(end_after))
        beacon = url.rsplit("/", 1)[0] + "/ended"
        urllib.request.urlopen(urllib.request.Request(beacon, data=b"", method="POST"), timeout=10).close()
        record["hung_up"] = time.time()
        save()
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
