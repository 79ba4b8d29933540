"""Booth mode without Kivy: check a card in with the hub, open the interview room in a full-screen
browser on a small local page (Jitsi's IFrame API), and close everything when the call ends or the
slot runs out. The page is served from memory on 127.0.0.1 and never written to disk."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from cardreader.identity import Identity
from device.machine import Machine
from floor import hostnames
from sync.errors import SyncError
from sync.session import HubSession
from wire import sealed

log = logging.getLogger(__name__)
PAGE = "booth_page.html"


@dataclass(frozen=True)
class BoothSettings:
    """The Jitsi server the hub names (used only if it is a plain host name) and the browser: a
    program of this machine's own, chosen by name (see device.machine)."""

    jitsi_domain: str
    browser: tuple[str, ...] | None

    @classmethod
    def of(cls, config: dict, machine: Machine) -> BoothSettings:
        domain = str(config.get("jitsi_domain") or "")
        try:
            domain = hostnames.host(domain) if domain.strip() else ""
        except ValueError:
            log.warning("booth: the hub's video server setting is not a host name; ignored")
            domain = ""
        return cls(domain, machine.browser_argv(str(config.get("browser") or "") or None))

    def missing(self) -> list[str]:
        """What staff must still set (said on screen instead of failing)."""
        return [name for name, value in (("jitsi_domain", self.jitsi_domain), ("browser", self.browser)) if not value]


def page_policy(domain: str, nonce: str) -> str:
    """The booth page's CSP: Jitsi's script and frames from the one video server, our own inline
    script by nonce, the beacon back to this loopback server, nothing else."""
    origin = hostnames.https_origin(domain)
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}' {origin}; frame-src {origin}; connect-src 'self'; "
        "style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


@dataclass(frozen=True)
class Interview:
    room: str
    display_name: str
    title: str
    employer: str
    ends_at: float


def render_page(domain: str, interview: Interview, ended_url: str, nonce: str) -> str:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"]))
    return env.get_template(PAGE).render(domain=hostnames.host(domain), i=interview, ended_url=ended_url, nonce=nonce)


class _PageServer:
    """One page and one beacon on loopback: GET /call, POST /ended (the page says the call is over)."""

    def __init__(self, on_ended) -> None:
        self.body = b""
        self.policy = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = server.body
                if self.path != "/call" or not body:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Security-Policy", server.policy)
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Referrer-Policy", "no-referrer")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                if self.path == "/ended":
                    on_ended()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # no request lines in the logs
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="booth-page")
        self.thread.start()

    def close(self) -> None:
        self.body = b""
        self.httpd.shutdown()
        self.httpd.server_close()


class Call:
    """The browser showing one interview, until the page says it ended, the browser exits, or the
    slot's time is up — whichever comes first."""

    def __init__(self, settings: BoothSettings, interview: Interview, clock=time.time) -> None:
        self.interview = interview
        self.clock = clock
        self.ended = threading.Event()
        self.server = _PageServer(self.ended.set)  # the port first: the page names its beacon
        nonce = secrets.token_urlsafe(16)
        self.server.policy = page_policy(settings.jitsi_domain, nonce)
        self.server.body = render_page(settings.jitsi_domain, interview, f"{self.server.url}/ended", nonce).encode()
        self.url = f"{self.server.url}/call"
        argv = [*settings.browser, self.url]  # a program of this machine's own; the hub only named it
        self.browser = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        log.info("booth: browser started for the interview room")

    def over(self) -> str | None:
        """Why the call is over ('ended', 'browser', 'time'), or None while it goes on."""
        if self.ended.is_set():
            return "ended"
        if self.browser.poll() is not None:
            return "browser"
        if self.clock() >= self.interview.ends_at:
            return "time"
        return None

    def close(self) -> None:
        """The browser and its children gone, the page gone: nothing of the call is left."""
        if self.browser.poll() is None:
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
                try:
                    os.killpg(self.browser.pid, sig)
                    self.browser.wait(wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.server.close()


class Booth:
    """Checks cards in and runs calls; the screens ask it what to show."""

    def __init__(self, session: HubSession | None, enrollment, settings: BoothSettings) -> None:
        self.session = session
        self.enrollment = enrollment
        self.settings = settings
        self.call: Call | None = None

    def check_in(self, identity: Identity) -> dict:
        """{'found': True, 'interview': Interview} or the hub's answer without a room, or
        {'error': ...} when the hub cannot be asked (no network: the booth cannot call anyway)."""
        if self.session is None:
            return {"error": "offline"}
        try:
            person = sealed.seal(
                self.enrollment.hub_public_key,
                {"id_number": identity.reveal_number()},
                sealed.checkin_context(self.enrollment.device_id),
            )
            answer = self.session.check_in(person)
        except SyncError as exc:
            log.info("booth: check-in unavailable: %s", exc)
            return {"error": "offline"}
        if not answer.get("found"):
            return answer
        return {
            "found": True,
            "interview": Interview(
                answer["room"],
                answer["display_name"],
                answer["posting_title"],
                answer["employer"],
                float(answer["ends_at"]),
            ),
        }

    def start(self, interview: Interview) -> Call:
        self.finish()
        self.call = Call(self.settings, interview)
        return self.call

    def finish(self) -> str | None:
        """Ends the current call, if any; returns why it was over."""
        call, self.call = self.call, None
        if call is None:
            return None
        reason = call.over() or "stopped"
        call.close()
        return reason
