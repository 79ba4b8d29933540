"""岗位找人 at the kiosk: the separate contact consent at registration, and the postings that found
a worker since their last card leading the list, marked 新 (kiosk.flow, kiosk.matching.found_first)."""

import shutil

import pytest

from cardreader.sim import resident
from kiosk import views
from kiosk.data import KioskData
from kiosk.flow import JOBS, REGISTER_PHONE, Flow
from lingong.demodata import device_store
from sync.store import DeviceStore

ID, NAME = "11010519491231002X", "蔡文姬"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("kiosk") / "device.db"
    device_store(path, postings=120).close()
    return path


@pytest.fixture
def flow(template, tmp_path):
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    data = KioskData(store)
    data.refresh()
    yield Flow(data, public_url="https://hub.example.cn/", idle_timeout_s=60, clock=lambda: 1000.0)
    store.close()


def test_the_contact_consent_is_its_own_and_off_until_tapped(flow):
    flow.card(resident(ID, NAME))
    flow.open_register()
    for _ in range(3):
        flow.next_step()
    assert flow.screen == REGISTER_PHONE
    view = views.build(flow)
    assert not view.contact and not view.consent
    flow.toggle_contact()
    view = views.build(flow)
    assert view.contact and not view.consent  # one tap, one consent
    flow.save_register()
    assert flow.screen == JOBS and flow.data.store.outbox.pending()[-1]["kind"] == "registration"
    flow.open_register()  # registering again starts with it off
    assert not flow.visit.reg_contact


def test_postings_that_found_the_worker_lead_the_list_marked_new(flow):
    visit = flow.card(resident(ID, NAME))
    listed = [j["pid"] for j in visit.jobs]
    far = listed[-1]
    beyond = next(
        m.posting["id"]
        for m in flow.data.matches(visit.worker(flow.data.today(), flow.data.reference.category_of), limit=500)
        if m.posting["id"] not in listed
    )
    flow.looked_up(visit, {"known": True, "intention": {}, "applied": [], "new": [beyond, far, 999_999_999, "x"]})
    jobs = flow.visit.jobs
    assert [j["pid"] for j in jobs[:2]] == [beyond, far]  # a posting this kiosk does not show is left out
    assert jobs[0]["chips"][0] == "新" and jobs[1]["chips"][0] == "新" and "新" not in jobs[2]["chips"]
    assert len(jobs) == len(listed) and len({j["pid"] for j in jobs}) == len(jobs)


def test_offline_nothing_is_marked_new(flow):
    visit = flow.card(resident(ID, NAME))
    before = [j["pid"] for j in visit.jobs]
    flow.looked_up(visit, None)
    assert [j["pid"] for j in flow.visit.jobs] == before
    assert not any("新" in j["chips"] for j in flow.visit.jobs)
