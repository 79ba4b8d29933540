"""Every operation of the hub's OpenAPI document fuzzed by schemathesis against a real hub process,
as each kind of caller: no 5xx, and every answer matches the schema the hub publishes."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.support.databases import database
from tests.support.hub import LiveHub

EXAMPLES = int(os.environ.get("LINGONG_FUZZ_EXAMPLES", "25"))  # per operation and caller; bounded in `make test`


@pytest.fixture(scope="module")
def fuzzed_hub(tmp_path_factory):
    home = tmp_path_factory.mktemp("fuzz")
    with database("sqlite", home) as url:
        hub = LiveHub(home / "hub", url)
        hub.seed(postings=30)
        hub.start()
        try:
            yield from _with_callers(hub)
        finally:
            hub.stop()


def _with_callers(hub):
    callers = {"nobody": {}, "admin": {"Authorization": f"Bearer {hub.staff_token}"}}
    for kind in ("kiosk", "display"):
        code = hub.add_device(kind, 1)
        enrolled = hub.call("POST", "/api/v1/devices/enroll", json={"code": code}).json()
        callers[kind] = {"Authorization": f"Bearer {enrolled['token']}"}
    hub.callers = callers
    yield hub


@pytest.fixture(scope="module")
def hub_schema(fuzzed_hub):
    return schemathesis.openapi.from_url(f"{fuzzed_hub.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("hub_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_as_documented(case, fuzzed_hub):
    for headers in fuzzed_hub.callers.values():
        case.call_and_validate(base_url=fuzzed_hub.url, headers=headers,
                               checks=[not_a_server_error, response_schema_conformance])
