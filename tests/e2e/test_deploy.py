"""deploy/ for real: Debian's nginx started from the site file (its ports, a certificate made here and
the hub's port replaced) in front of a hub started by the unit's own ExecStart and environment file,
ready when it says READY=1 on a notify socket as systemd would hear it. Through nginx: HTTP/2 over
TLS, a device's enrollment and long polls (held, then 304; woken by a publish), the phone page with
its CSP, the body limit, and the client's address as the hub records it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from requests.adapters import HTTPAdapter

from hub.audit.models import AuditEntry
from tests.support.deploy import SITE, env_file, exec_start
from tests.support.hub import ROOT, LiveHub, free_port, lingong_env, posting_body
from wire import protocol

CLIENT = "127.0.0.7"  # the test's client connects to nginx from here; nginx reaches the hub from 127.0.0.1
NAME = "hub.example.cn"


def certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def render_site(folder: Path, http_port: int, https_port: int, hub_port: int) -> Path:
    """The site file with only what differs on a test machine replaced; each must be there once."""
    cert, key = certificate(folder)
    site = SITE.read_text()
    for old, new in {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/lingong/fullchain.pem": str(cert),
        "/etc/ssl/lingong/privkey.pem": str(key),
        "server 127.0.0.1:8470;": f"server 127.0.0.1:{hub_port};",
        "root /var/www/html;": f"root {folder};",
    }.items():
        assert site.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        + "events { worker_connections 512; }\n"
        + f"http {{\n    access_log off;\n{temp}\n    include {folder}/site.conf;\n}}\n"
    )
    return conf


class Nginx:
    def __init__(self, conf: Path):
        self.conf, self.folder = conf, conf.parent
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        assert os.path.exists(nginx), "nginx is missing (Debian package nginx, in the Makefile's TEST_APT)"
        self.base = [nginx, "-p", str(self.folder), "-e", str(self.folder / "error.log")]
        self.cmd = [*self.base, "-c", str(conf)]
        self.proc: subprocess.Popen | None = None

    def start(self, port: int) -> None:
        # `nginx -t` as the README has the operator run it: the site inside Debian's own nginx.conf
        # (in place of sites-enabled/, beside conf.d/), then inside the test's.
        debian = Path("/etc/nginx/nginx.conf").read_text()
        assert debian.count("include /etc/nginx/sites-enabled/*;") == 1
        debian = debian.replace("include /etc/nginx/sites-enabled/*;", f"include {self.folder}/site.conf;")
        (self.folder / "debian.conf").write_text(debian.replace("pid /run/nginx.pid;", f"pid {self.folder}/t.pid;"))
        for conf in (self.folder / "debian.conf", self.conf):
            check = subprocess.run([*self.base, "-c", str(conf), "-t", "-q"], capture_output=True, timeout=30)
            assert check.returncode == 0, check.stderr.decode()
        self.proc = subprocess.Popen(self.cmd, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not listen")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class UnitHub(LiveHub):
    """The hub as lingong-hub.service starts it: its ExecStart (the program is this checkout's
    `lingong`, the port a free one), the environment file's settings, $NOTIFY_SOCKET, and nothing
    writable but its state folder."""

    def start(self, timeout: float = 60) -> UnitHub:
        args = exec_start()[1:]
        args[args.index("--port") + 1] = str(self.port)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(self.home.parent / "notify.sock"))
        notify.settimeout(timeout)
        settings, _ = env_file()
        env = lingong_env(self.home, **{**settings, **self.extra_env})
        env.update(
            LINGONG_HOME=str(self.home),
            LINGONG_DATABASE_URL=self.database_url,
            NOTIFY_SOCKET=str(self.home.parent / "notify.sock"),
        )
        self.home.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            read_only_but(self.home, [sys.executable, "-m", "lingong.cli", *args]),
            env=env,
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            message = notify.recv(4096).decode()
        except TimeoutError:
            raise AssertionError(f"no READY=1 within {timeout} s:\n{self.log.read_text()[-3000:]}") from None
        finally:
            notify.close()
        assert "READY=1" in message.splitlines(), message
        # READY means serving: the hub answers at once, no waiting loop.
        assert requests.get(self.url + "/healthz", timeout=5).json()["status"] == "ok"
        return self


def read_only_but(state: Path, command: list[str]) -> list[str]:
    """As the unit's ProtectSystem=strict + ReadWritePaths= leave the hub (as root, in a mount
    namespace of its own): every file system read-only but its state folder. Its /tmp is read-only
    too here (the unit gives it a private writable one), and /root stays readable (this machine's
    Python lives there)."""
    if os.geteuid() != 0:
        return command
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro / && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, str(state), *command]


class FromAddress(HTTPAdapter):
    """Connections from a chosen loopback address (the whole 127.0.0.0/8 is this machine's)."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT, 0)
        super().init_poolmanager(*args, **kwargs)


@pytest.fixture
def deployed(tmp_path, pg_url):
    http_port, https_port = free_port(), free_port()
    hub = UnitHub(tmp_path / "hub", pg_url, LINGONG_PUBLIC_URL=f"https://127.0.0.1:{https_port}")
    hub.seed(postings=12)
    nginx = Nginx(render_site(tmp_path, http_port, https_port, hub.port))
    try:
        hub.start()
        nginx.start(https_port)
        client = requests.Session()
        client.trust_env = False  # no proxy, no CA bundle from the environment (it would replace verify=)
        client.verify = str(tmp_path / "fullchain.pem")
        client.mount("https://", FromAddress())
        client.mount("http://", FromAddress())
        yield hub, client, f"https://127.0.0.1:{https_port}", http_port
    finally:
        nginx.stop()
        hub.stop()


def test_the_hub_behind_the_nginx_site(deployed, tmp_path):
    hub, client, url, http_port = deployed
    # Plain HTTP is sent to HTTPS; TLS offers HTTP/2.
    r = client.get(f"http://127.0.0.1:{http_port}/p/1", allow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == "https://127.0.0.1/p/1"
    context = ssl.create_default_context(cafile=str(tmp_path / "fullchain.pem"))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with context.wrap_socket(
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))), server_hostname=NAME
    ) as tls:
        assert tls.selected_alpn_protocol() == "h2"

    # A device enrolls and takes its snapshot through nginx.
    code = hub.add_device()
    enrolled = client.post(url + protocol.ENROLL_PATH, json={"code": code}, timeout=30).json()
    device = {"Authorization": f"Bearer {enrolled['token']}"}
    snapshot = client.get(url + protocol.SNAPSHOT_PATH, headers=device, timeout=30)
    assert snapshot.status_code == 200
    cursor, _ = protocol.decode_snapshot(snapshot.json())
    while (
        more := client.get(url + protocol.CHANGES_PATH, params={"since": cursor, "wait": 0.2}, headers=device)
    ).status_code == 200:
        cursor = more.json()["cursor"]
    assert more.status_code == 304

    # An idle long poll is held (nginx neither cuts it nor answers for the hub), then 304.
    started = time.monotonic()
    idle = client.get(url + protocol.CHANGES_PATH, params={"since": cursor, "wait": 3}, headers=device, timeout=30)
    assert idle.status_code == 304 and time.monotonic() - started >= 2.5
    assert protocol.parse_etag(idle.headers["etag"]) >= cursor

    # A long poll is woken by a posting published meanwhile — by staff, through nginx, from CLIENT
    # with an address of its own choosing in X-Forwarded-For, which nginx replaces.
    woken = {}
    poll = threading.Thread(
        target=lambda: woken.update(
            r=client.get(url + protocol.CHANGES_PATH, params={"since": cursor, "wait": 20}, headers=device, timeout=40)
        )
    )
    poll.start()
    time.sleep(0.5)
    posted = client.post(
        url + "/api/v1/postings",
        json=posting_body(),
        headers={"Authorization": f"Bearer {hub.staff_token}", "X-Forwarded-For": "203.0.113.9"},
        timeout=30,
    )
    assert posted.status_code < 300, posted.text
    poll.join(40)
    assert woken["r"].status_code == 200
    assert posted.json()["id"] in [c["d"]["id"] for c in woken["r"].json()["changes"] if c["k"] == "posting"]

    # The hub records the client as nginx saw it: not nginx (127.0.0.1), not what the client claimed.
    engine = sa.create_engine(hub.database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(AuditEntry.address, AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)
            ).one()
    finally:
        engine.dispose()
    assert row.address == CLIENT, row

    # The phone page comes through with the hub's own CSP (and HSTS: the public address is https).
    posting_id = posted.json()["id"]
    direct = requests.get(f"{hub.url}/p/{posting_id}", timeout=10)
    page = client.get(f"{url}/p/{posting_id}", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.sub("'nonce'", csp) == nonce.sub("'nonce'", direct.headers["content-security-policy"])
    assert len(page.raw.headers.getlist("content-security-policy")) == 1  # one policy, not one per layer
    assert "strict-transport-security" in page.headers

    # A body over LINGONG_MAX_BODY_BYTES is refused before it reaches the hub.
    big = client.post(url + protocol.ENROLL_PATH, data=b"x" * 1_000_001, timeout=30)
    assert big.status_code == 413

    # The backup unit's command line, against the hub while it serves, with the same settings.
    args = exec_start("lingong-backup.service")[1:]
    args[args.index("--out") + 1] = f"{tmp_path}/backups/"
    settings, _ = env_file()
    done = subprocess.run(
        [sys.executable, "-m", "lingong.cli", *args],
        env=lingong_env(
            hub.home, **{**settings, "LINGONG_HOME": str(hub.home), "LINGONG_DATABASE_URL": hub.database_url}
        ),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "backups").glob("lingong-backup-*.tar.gz"))) == 1
