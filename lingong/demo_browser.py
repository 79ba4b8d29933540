"""Stands in for the booth's browser where the demo has no screen (or no Chromium): it opens the
booth's local page as a browser would and writes which video room it was asked to show to
LINGONG_HOME/browser.log, so anyone can see the booth launch the right room; it stays until the
booth closes it."""

from __future__ import annotations

import os
import re
import sys
import time
import urllib.request
from pathlib import Path


def main() -> None:
    url = sys.argv[-1]
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    room = re.search(r'roomName: "([^"]+)"', page)
    domain = re.search(r'src="https://([^/"]+)/external_api\.js"', page)
    line = (
        f"{time.strftime('%Y-%m-%d %H:%M:%S')} browser opened {url}: room {room.group(1) if room else '?'} "
        f"on https://{domain.group(1) if domain else '?'}\n"
    )
    log = Path(os.environ.get("LINGONG_HOME", ".")) / "browser.log"
    with log.open("a", encoding="utf-8") as out:
        out.write(line)
    print(line, end="", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
