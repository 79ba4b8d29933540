"""deploy/: the units pass systemd-analyze, the environment file names every setting, and the nginx
site, the container files and the unit agree with the hub's own settings and command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml

from hub.settings import Settings
from tests.support.deploy import DEPLOY, SITE, UNITS, env_file, exec_start, unit

HUB_ARGS = ["hub", "--host", "127.0.0.1", "--port", "8470", "--workers", "2"]


def _bound(field: str, kind: str) -> float:
    return next(getattr(m, kind) for m in Settings.model_fields[field].metadata if hasattr(m, kind))


def test_every_setting_is_documented_in_the_environment_file(tmp_path):
    values, text = env_file()
    missing = [f"LINGONG_{n.upper()}" for n in Settings.model_fields if f"LINGONG_{n.upper()}=" not in text]
    assert not missing, f"deploy/lingong.env does not document {missing}"
    unknown = [n for n in values if n.removeprefix("LINGONG_").lower() not in Settings.model_fields]
    assert not unknown, f"deploy/lingong.env sets what the hub does not read: {unknown}"
    # What it sets is valid as the hub validates it (the state folder aside: it is the machine's).
    given = {k.removeprefix("LINGONG_").lower(): v for k, v in values.items() if k != "LINGONG_HOME"}
    settings = Settings(home=tmp_path, **given)
    assert settings.https and settings.trusted_proxies == "127.0.0.1"
    assert settings.db_url.startswith("postgresql+psycopg://")
    # Each commented line shows the hub's own default.
    defaults = Settings(home=tmp_path)
    for name, shown in re.findall(r"^#(LINGONG_\w+)=(.*)$", text, re.M):
        field = name.removeprefix("LINGONG_").lower()
        assert field in Settings.model_fields, f"deploy/lingong.env documents {name}, which the hub does not read"
        assert getattr(Settings(home=tmp_path, **{field: shown}), field) == getattr(defaults, field), name


def test_units_pass_systemd_analyze_verify(tmp_path):
    """systemd-analyze works without systemd as PID 1; a copy whose ExecStart exists here (verify
    refuses a missing program), and any complaint — an unknown key or value is only a warning, exit 0 —
    fails the test."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (Debian package systemd)"
    lingong = shutil.which("lingong", path=str(DEPLOY.parent / ".venv" / "bin")) or sys.executable
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace("/opt/lingong/venv/bin/lingong", lingong)
        (tmp_path / name).write_text(text)
    files = [str(tmp_path / n) for n in UNITS]
    run = subprocess.run([analyze, "verify", *files], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip(), run.stdout + run.stderr
    # The hardening as systemd rates it (0 safest – 10): both services stay under 2.0 ("OK").
    for name in UNITS[:2]:
        run = subprocess.run(
            [analyze, "security", "--offline=yes", "--threshold=20", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert run.returncode == 0, run.stdout[-600:]


def test_the_hub_unit_is_notify_hardened_and_writes_only_its_state():
    service = unit("lingong-hub.service")["Service"]
    assert service["Type"] == "notify" and service["Restart"] == "on-failure"
    assert service["User"] == "lingong" and service["EnvironmentFile"] == "/etc/lingong/hub.env"
    for key, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "ReadWritePaths": "/var/lib/lingong",
    }.items():
        assert service[key] == value, key
    values, _ = env_file()
    assert values["LINGONG_HOME"] == "/var/lib/lingong" == "/var/lib/" + service["StateDirectory"]
    assert exec_start()[1:] == HUB_ARGS


def test_the_backup_timer_starts_the_backup_service_daily():
    timer = unit("lingong-backup.timer")["Timer"]
    assert timer["Persistent"] == "true" and timer["OnCalendar"] == "*-*-* 03:15:00"
    service = unit("lingong-backup.service")["Service"]
    assert service["Type"] == "oneshot" and service["User"] == "lingong"
    assert service["EnvironmentFile"] == unit("lingong-hub.service")["Service"]["EnvironmentFile"]
    args = exec_start("lingong-backup.service")
    assert args[1:] == ["backup", "--out", "/var/backups/lingong/", "--keep", "14"]
    assert service["ReadWritePaths"] == args[3].rstrip("/")


def test_nginx_site_matches_the_hubs_limits():
    site = SITE.read_text()
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1))
    assert read_timeout > _bound("longpoll_max_s", "lt")  # above any long poll the hub may be set to hold
    assert (
        int(re.search(r"client_max_body_size (\d+);", site).group(1)) == Settings.model_fields["max_body_bytes"].default
    )
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site  # replaced, never appended
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "listen 443 ssl http2;" in site and "proxy_buffering off;" in site
    assert "add_header" not in site  # the hub's own CSP and HSTS pass untouched


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "container" / "compose.yaml").read_text())


def test_compose_runs_the_units_command_behind_the_same_nginx_site(compose):
    services = compose["services"]
    assert set(services) == {"hub", "db", "nginx"}
    hub = services["hub"]
    assert hub["command"] == ["lingong", *HUB_ARGS]
    assert hub["network_mode"] == "service:nginx"  # 127.0.0.1:8470 and the trusted proxy as on Debian
    assert all(n.removeprefix("LINGONG_").lower() in Settings.model_fields for n in hub["environment"])
    assert hub["environment"]["LINGONG_TRUSTED_PROXIES"] == env_file()[0]["LINGONG_TRUSTED_PROXIES"]
    assert hub["environment"]["LINGONG_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert hub["depends_on"]["db"]["condition"] == "service_healthy"
    assert "../nginx/lingong.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    build = hub["build"]
    dockerfile = (DEPLOY / "container" / build["context"] / build["dockerfile"]).resolve().read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert yaml.safe_load(cmd) == hub["command"]
    assert "USER lingong" in dockerfile and "-c /src/constraints.txt '/src[hub]'" in dockerfile


def test_the_readme_section_runs_what_deploy_holds():
    """README "Running it for a district" names the units' very command lines and only files that exist."""
    readme = (DEPLOY.parent / "README.md").read_text()
    section = readme[readme.index("## Running it for a district") :]
    section = " ".join(section[: section.index("\n## ", 3)].split())  # lines joined as a reader joins them
    for name in ("lingong-hub.service", "lingong-backup.service"):
        assert "lingong " + " ".join(exec_start(name)[1:]) in section, name
    named = set(re.findall(r"\b(deploy/[\w./-]+\w)", section)) | set(re.findall(r"\b(tests/[\w/]+\.py)", section))
    assert {"deploy/lingong.env", "deploy/nginx/lingong.conf", "tests/e2e/test_deploy.py"} <= named
    missing = [path for path in named if not (DEPLOY.parent / path).exists()]
    assert not missing, missing
