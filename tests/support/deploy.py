"""The operator's files in deploy/ read as the machines read them (unit files, the environment file),
and run as they run: the hub by its unit's command line, Debian's nginx from the site file."""

from __future__ import annotations

import configparser
import datetime as dt
import ipaddress
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from requests.adapters import HTTPAdapter

from tests.support.hub import ROOT, LiveHub, lingong_env

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("lingong-hub.service", "lingong-backup.service", "lingong-backup.timer")
SITE = DEPLOY / "nginx" / "lingong.conf"
ENV_FILE = DEPLOY / "lingong.env"


def unit(name: str) -> configparser.ConfigParser:
    """A unit file's sections (repeated keys such as SystemCallFilter= keep their last value)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text())
    return parser


def exec_start(name: str = "lingong-hub.service") -> list[str]:
    """ExecStart= split as systemd splits it (a `%%` is a literal `%`)."""
    return shlex.split(unit(name)["Service"]["ExecStart"].replace("%%", "%"))


def env_file() -> tuple[dict[str, str], str]:
    """The settings the environment file sets (uncommented lines), and its whole text."""
    text = ENV_FILE.read_text()
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values, text


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
    """The hub as lingong-hub.service starts it: its ExecStart (the program this checkout's
    `lingong`, or `program`: an installed one; the port a free one), the environment file's
    settings, $NOTIFY_SOCKET, and nothing writable but its state folder."""

    program: tuple[str, ...] = (sys.executable, "-m", "lingong.cli")

    def start(self, timeout: float = 60) -> UnitHub:
        args = exec_start()[1:]
        args[args.index("--port") + 1] = str(self.port)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify_path = self.home.parent / f"notify-{self.home.name}.sock"
        notify_path.unlink(missing_ok=True)  # a hub started again in this folder
        notify.bind(str(notify_path))
        notify.settimeout(timeout)
        settings, _ = env_file()
        env = lingong_env(self.home, **{**settings, **self.extra_env})
        env.update(
            LINGONG_HOME=str(self.home),
            LINGONG_DATABASE_URL=self.database_url,
            NOTIFY_SOCKET=str(notify_path),
        )
        self.home.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            read_only_but(self.home, [*self.program, *args]),
            env=env,
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
            cwd=ROOT if self.program == UnitHub.program else self.home,
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
