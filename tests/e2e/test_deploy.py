"""deploy/ for real: Debian's nginx started from the site file (its ports, a certificate made here and
the hub's port replaced) in front of a hub started by the unit's own ExecStart and environment file,
ready when it says READY=1 on a notify socket as systemd would hear it. Through nginx: HTTP/2 over
TLS, a device's enrollment, an idle long poll (held, then 304), the change stream (a publish as its
next line), the phone page with its CSP, the body limit, and the client's address as the hub
records it."""

from __future__ import annotations

import json
import re
import socket
import ssl
import subprocess
import sys
import time

import pytest
import requests
import sqlalchemy as sa

from hub.audit.models import AuditEntry
from tests.support.deploy import CLIENT, NAME, FromAddress, Nginx, UnitHub, env_file, exec_start, render_site
from tests.support.hub import ROOT, free_port, lingong_env, posting_body
from wire import protocol


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

    # The change stream comes through line by line (nginx buffers nothing: a keep-alive line of a
    # few bytes arrives on its own), and a posting published meanwhile — by staff, through nginx,
    # from CLIENT with an address of its own choosing in X-Forwarded-For, which nginx replaces —
    # arrives as the next line.
    with client.get(
        url + protocol.STREAM_PATH, params={"since": cursor, "beat": 1}, headers=device, stream=True, timeout=40
    ) as stream:
        assert stream.status_code == 200
        lines = (json.loads(line) for line in stream.iter_lines(chunk_size=None) if line)
        assert next(lines) == {"cursor": cursor}
        assert next(lines) == {"cursor": cursor}  # the keep-alive, a second later
        posted = client.post(
            url + "/api/v1/postings",
            json=posting_body(),
            headers={"Authorization": f"Bearer {hub.staff_token}", "X-Forwarded-For": "203.0.113.9"},
            timeout=30,
        )
        assert posted.status_code < 300, posted.text
        line = next(line for line in lines if "changes" in line)
    assert posted.json()["id"] in [c["d"]["id"] for c in line["changes"] if c["k"] == "posting"]

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
