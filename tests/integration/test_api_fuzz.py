"""Every operation of the hub's OpenAPI document fuzzed by schemathesis against a real hub process
on PostgreSQL, as each kind of caller: no 5xx, and every answer matches the schema the hub
publishes. (The console's forms: test_console_fuzz.py, so that the two long runs can go to the two
test workers.)"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.integration.test_access_matrix import RULES
from tests.support.fuzz_hub import coverage_callers, fuzzed_hub

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

# Per operation and caller, bounded so that `make test` stays under 10 minutes on 2 cores (the
# routes doubled this month); set the variable higher for a deeper run.
EXAMPLES = int(os.environ.get("LINGONG_FUZZ_EXAMPLES", "7"))


# Each fuzz runs once, on one database (make test has 10 minutes on 2 cores): the API on
# PostgreSQL, production's database and the one whose driver refused what SQLite took (a NUL in a
# name, an integer past 32 bits); the console's forms on SQLite, where their parsing is the same.
@pytest.fixture(scope="module", params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def api_hub(request, tmp_path_factory):
    yield from fuzzed_hub(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def hub_schema(api_hub):
    return schemathesis.openapi.from_url(f"{api_hub.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("hub_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_as_documented(case, api_hub):
    allowed = RULES.get((case.method.upper(), case.path))
    for caller in coverage_callers(case, api_hub.callers, allowed):
        case.call_and_validate(
            base_url=api_hub.url,
            headers=api_hub.callers[caller],
            checks=[not_a_server_error, response_schema_conformance],
        )
