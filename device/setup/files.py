"""The files set-up writes, as text: the device's systemd unit, its PAM session, logind's settings,
its user, its folders, the reader's udev rule and the machine file. Pure: nothing here touches disk."""

from __future__ import annotations

from .kinds import PREFIX, READER_LINK, STATE, USER, Kind

UNIT = "lingong-device.service"
PAM = "lingong-device"
WATCHDOG_S = 30  # the UI loop says it is alive every 15 s (device/watchdog.py): 30 s of silence is a freeze
TTY = "tty1"


def unit(k: Kind, *, prefix: str = PREFIX, state: str = STATE) -> str:
    """The one unit a device runs: cage on tty1 showing `lingong <verb>` full screen, restarted
    when it ends or its UI loop stops saying it is alive, started again forever."""
    return f"""# {k.title}, written by `lingong device setup`: README "Setting up a kiosk or a wall".
# cage is a Wayland compositor that shows one program full screen and nothing else: no desktop,
# no panel, no switching to another console (cage without -s, and logind starts no other getty).
[Unit]
Description={k.title}
Documentation=https://github.com/lingong/lingong#setting-up-a-kiosk-or-a-wall
After=systemd-user-sessions.service network-online.target
Wants=network-online.target
Conflicts=getty@{TTY}.service
After=getty@{TTY}.service
# A screen in a hall is never given up on: restarted however often it fails.
StartLimitIntervalSec=0

[Service]
# READY=1 and then WATCHDOG=1 come from the app's UI loop, a child of cage: NotifyAccess=all.
Type=notify
NotifyAccess=all
WatchdogSec={WATCHDOG_S}
Restart=always
RestartSec=2
# Kivy's first frame under software rendering can take a while on a small machine.
TimeoutStartSec=120
TimeoutStopSec=15
User={USER}
Group={USER}
# A login session on {TTY} (logind gives it the seat: the screen, the touch panel, the GPU).
PAMName={PAM}
TTYPath=/dev/{TTY}
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal
UtmpIdentifier={TTY}
UtmpMode=user
Environment=LINGONG_HOME={state}
UMask=0077
# The app writes its state and, when it updates itself, its next version; nothing else.
ProtectSystem=strict
ReadWritePaths={state} {prefix}
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
# Before every start, the last version that proved healthy decides whether a trial of a new one
# has failed and switches back (device/update/guard.py).
ExecStartPre={prefix}/good/bin/lingong update guard --prefix {prefix}
ExecStart=/usr/bin/cage -d -- {prefix}/current/bin/lingong {k.verb}

[Install]
WantedBy=graphical.target
"""


def pam() -> str:
    # Only the account and session stacks run for a service's PAMName (nobody types a password).
    return "# lingong's device session (the unit's PAMName)\n@include common-account\n@include common-session\n"


def logind() -> str:
    return """# Written by `lingong device setup`: no text console to switch to from the kiosk's screen,
# and a screen that never goes idle.
[Login]
NAutoVTs=0
ReserveVT=0
IdleAction=ignore
"""


def sysusers(k: Kind) -> str:
    groups = ["video", "render", "input", *(["dialout"] if k.reads_cards else [])]
    lines = [f'u {USER} - "lingong device" {STATE} /usr/sbin/nologin']
    lines += [f"m {USER} {g}" for g in groups]  # the screen, the GPU, the touch panel, serial readers
    return "# Written by `lingong device setup`: the user the device runs as.\n" + "\n".join(lines) + "\n"


def tmpfiles(prefix: str = PREFIX) -> str:
    # The device owns its versions folder: it installs its own (signed) updates there.
    return f"""# Written by `lingong device setup`: the device's state and its versions.
d {STATE} 0700 {USER} {USER} -
d {prefix} 0755 {USER} {USER} -
d {prefix}/versions 0755 {USER} {USER} -
"""


def udev(ids: tuple[str, ...]) -> str:
    lines = [
        "# Written by `lingong device setup`: a SAM ID-card reader behind a USB-serial bridge gets one",
        f"# stable name, /dev/{READER_LINK}, whatever ttyUSB number it enumerates as.",
    ]
    for pair in ids:
        vendor, product = pair.split(":")
        lines.append(
            f'SUBSYSTEM=="tty", ATTRS{{idVendor}}=="{vendor}", ATTRS{{idProduct}}=="{product}", '
            f'SYMLINK+="{READER_LINK}", GROUP="dialout", MODE="0660"'
        )
    return "\n".join(lines) + "\n"


def machine(reader: str) -> dict:
    """What `device.machine.write` is given: the reader by name; a serial reader at the udev name."""
    readers = {"sam": f"sam:/dev/{READER_LINK}"} if reader == "sam" else {}
    return {"readers": readers, "reader": reader}
