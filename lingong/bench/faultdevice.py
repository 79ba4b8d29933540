"""One device of the fault benchmark, in a process of its own so that it can be killed outright:
`python -m lingong.bench.faultdevice HOME KIND SKEW_S SEED`.

The real store, outbox and sync agent. A kiosk's workers apply, register, sign up for courses and
buses and take fair numbers, a wall reports proof of play, every second or so, each through the real
outbox; every event whose transaction has committed (the moment a receipt would show) is then
appended to HOME/sent.log. HOME/quiet stops
new events; HOME/stop ends the process."""

from __future__ import annotations

import logging
import os
import random
import sys
import time
from pathlib import Path
from string import ascii_letters


def main(home: Path, kind: str, skew_s: float, seed: int) -> None:
    if skew_s:
        real = time.time
        time.time = lambda: real() + skew_s  # this device's clock is wrong by skew_s

    from cardreader.fictional import person
    from floor import logs
    from sync.agent import SyncAgent
    from sync.store import DeviceStore

    logs.setup("WARNING")
    logs.stacks_on_signal()  # (the bench asks a device that never agreed where it waits)
    logging.getLogger("sync.agent").setLevel(logging.INFO)  # why its outbox waits, in device.log
    rng = random.Random(seed)
    store = DeviceStore.in_home(home)
    agent = SyncAgent(store, longpoll_s=10, heartbeat_s=5)
    agent.start()
    ledger = open(home / "sent.log", "a", encoding="utf-8")
    while not (home / "stop").exists():
        time.sleep(rng.uniform(0.2, 1.5))
        if (home / "quiet").exists():
            continue
        postings = store.posting_ids()
        if not postings:
            continue
        with store.user_action() as action:
            if kind == "display":
                now = time.time()
                shown = [[pid, rng.randint(1, 3), 12.0] for pid in rng.sample(postings, min(3, len(postings)))]
                action.emit("play", {"from": now - 30, "to": now, "shown": shown})
            elif (courses := store.docs("course")) and rng.random() < 0.1:
                who = person(rng)  # a seat on a course (技能培训): full or not, the hub answers once
                action.emit(
                    "course_signup",
                    {"course": rng.choice(courses)["id"]},
                    person={"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": True},
                )
            elif (buses := store.docs("departure")) and rng.random() < 0.1:
                who = person(rng)  # a seat on a bus (包车): the hub gives it, or says why not, once
                action.emit(
                    "bus_signup",
                    {"departure": rng.choice(buses)["id"]},
                    person={"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": True},
                )
            elif (fairs := store.docs("fair")) and rng.random() < 0.1:
                who = person(rng)  # a number at a fair's booth (招聘会): given, or refused out of hours, once
                booth = rng.choice(rng.choice(fairs)["booths"])
                action.emit(
                    "fair_ticket",
                    {"booth": booth["id"], "secret": "".join(rng.choice(ascii_letters) for _ in range(32))},
                    person={"id_number": who.id_number, "name": who.name, "consent": False},
                )
            elif rng.random() < 0.75:
                who = person(rng)
                action.emit(
                    "application",
                    {"posting": rng.choice(postings)},
                    person={"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": True},
                )
            else:
                who = person(rng)
                action.emit(
                    "registration",
                    {"intention": {"trades": [rng.randint(1, 20)], "availability": ["today"]}},
                    person={"id_number": who.id_number, "name": "", "phone": who.phone, "consent": True},
                )
        # Committed: the receipt would show now. Only then does it count as sent.
        ledger.write("".join(uid + "\n" for uid in action.uids))
        ledger.flush()
        os.fsync(ledger.fileno())
    agent.stop()
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
