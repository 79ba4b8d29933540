"""岗位找人's text messages against a real HTTP server started here (http.server in a thread): the
webhook's signature and retries, a gateway that fails, the daily cap, and only the consenting told,
with no more than the trade, the pay and the station."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from hub.outreach.models import NoticeStatus, OutreachNotice
from hub.outreach.notify import WebhookChannel
from hub.stations.models import Station
from hub.trades.models import Trade
from tests.integration.test_outreach import market, publish, staff_client  # noqa: F401 (fixtures)
from tests.support.console import csrf_of

SECRET = "city-gateway-secret"


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


class Gateway:
    """A stand-in for the city's SMS gateway: a real server on a loopback port that answers with
    the statuses queued in `answers` (then 200) and keeps what it was sent."""

    def __init__(self):
        self.answers: list[int] = []
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = gateway.answers.pop(0) if gateway.answers else 200
                signed = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                gateway.received.append(
                    {
                        "status": status,
                        "body": json.loads(body),
                        "signed": self.headers["X-Lingong-Signature"] == signed,
                    }
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.close()


def test_the_webhook_signs_retries_and_gives_up(gateway):
    channel = WebhookChannel(gateway.url, SECRET, attempts=3, backoff_s=0.01)
    assert channel.send("13900000001", "有钢筋工的活") and channel.tried == 1
    sent = gateway.received[-1]
    assert sent["signed"] and sent["body"] == {"to": "13900000001", "text": "有钢筋工的活"}
    gateway.answers = [503, 429]
    assert channel.send("13900000001", "x") and channel.tried == 3  # retried with backoff, then taken
    gateway.answers = [500, 500, 500]
    assert not channel.send("13900000001", "x") and channel.tried == 3
    gateway.answers = [400]
    assert not channel.send("13900000001", "x") and channel.tried == 1  # refused: no retry
    gone = WebhookChannel("http://127.0.0.1:9/send", SECRET, attempts=2, backoff_s=0.01, timeout_s=1)
    assert not gone.send("13900000001", "x") and gone.tried == 2
    with pytest.raises(ValueError):
        WebhookChannel("file:///etc/passwd", SECRET)


def notify(client, pid):
    page = client.get(f"/staff/outreach/postings/{pid}")
    return client.post(
        f"/staff/outreach/postings/{pid}/notify", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )


def notices(hub):
    with hub.app.state.db.read() as s:
        return list(s.scalars(select(OutreachNotice).order_by(OutreachNotice.id)))


def test_only_the_consenting_are_told_capped_a_day_and_told_little(hub, market, gateway):  # noqa: F811
    client = staff_client(hub, "sms1")
    first = publish(hub)
    assert notify(client, first).status_code == 422  # no gateway configured: said, nothing sent
    settings = hub.app.state.settings
    settings.sms_webhook_url, settings.sms_webhook_secret, settings.sms_daily_cap = gateway.url, SECRET, 1
    answer = notify(client, first)
    assert answer.status_code == 303 and answer.headers["location"].endswith("sent=1-0")
    (told,) = gateway.received  # 蔡 consented to be contacted; 王 (on the list too) did not
    assert told["signed"] and told["body"]["to"] == "13900000001"
    text = told["body"]["text"]
    with hub.app.state.db.read() as s:
        station, trade = s.get(Station, 1).name, s.get(Trade, 1).name
    assert text == f"有{trade}的活，300–400元/天，请到{station}看看。"  # trade, pay, station: nothing more
    for secret in ("蔡", "滨江路", "锦绣花园", "13800001111", "王经理"):  # no name, address or employer phone
        assert secret not in text
    assert notify(client, first).headers["location"].endswith("sent=0-0")  # once per posting
    second = publish(hub)
    assert notify(client, second).headers["location"].endswith("sent=0-0")  # the day's cap of 1 is reached
    assert len(gateway.received) == 1
    settings.sms_daily_cap = 3
    gateway.answers = [400]  # the gateway refuses (its retries are tested above): recorded as failed
    assert notify(client, second).headers["location"].endswith("sent=0-1")
    assert [n.status for n in notices(hub)] == [NoticeStatus.SENT, NoticeStatus.FAILED]
    assert notices(hub)[-1].attempts == 1
