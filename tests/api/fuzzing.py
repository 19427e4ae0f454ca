"""Run schemathesis (every phase, every check) against a served app, signed in as one person."""
import collections
from dataclasses import dataclass, field

import requests
import schemathesis
from schemathesis.engine import events, from_schema

from ..conftest import PASSWORD, PEOPLE, csrf_from

# Rules the description cannot state, so a request that matches it may still be refused with 400:
# a JWK's x and y must be a point on P-256; a pull's cursor must be one this server handed out, and
# `waiting` must come with `device_id`.
SCHEMA_CANNOT_SAY = {"register_device_key": ["2xx", "400", "409"], "pull": ["2xx", "400"]}


@dataclass
class Run:
    """What one run found: failed checks, engine errors, and the statuses each operation answered."""

    failures: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    statuses: collections.defaultdict = field(default_factory=lambda: collections.defaultdict(collections.Counter))


def sign_in(url, who):
    """Sign in through the real form; return (session cookie, CSRF token) of that session."""
    browser = requests.Session()
    token = csrf_from(browser.get(f"{url}/login").text)
    answer = browser.post(f"{url}/login", data={"email": PEOPLE[who][0], "password": PASSWORD, "csrf_token": token})
    assert answer.ok, answer.status_code
    return browser.cookies["session"], browser.get(f"{url}/api/session").json()["csrf_token"]


def _config(max_examples, left_out):
    operations = [{"include-operation-id": name,
                   "checks": {"positive_data_acceptance": {"expected-statuses": statuses}}}
                  for name, statuses in SCHEMA_CANNOT_SAY.items()]
    operations += [{"include-operation-id": name, "enabled": False} for name in left_out]
    return schemathesis.Config.from_dict({"generation": {"max-examples": max_examples}, "operations": operations})


def fuzz(url, who, operations=None, max_examples=10):
    """Run every phase and check against the API at `url` as `who` (these operation ids, or all); return the Run."""
    cookie, token = sign_in(url, who)
    described = requests.get(f"{url}/api/openapi.json").json()
    every = {o["operationId"] for item in described["paths"].values() for o in item.values()}
    left_out = sorted(every - set(operations)) if operations is not None else []
    schema = schemathesis.openapi.from_dict(described, config=_config(max_examples, left_out))
    schema.config.update(base_url=url)

    @schema.auth(refresh_interval=None)
    class SignedIn:
        """The signed-in session's cookie, and its CSRF token on every request, as the phone sends them."""

        def get(self, case, context):
            return cookie

        def set(self, case, data, context):
            case.cookies = {**(case.cookies or {}), "session": data}
            case.headers = {**(case.headers or {}), "X-CSRFToken": token}

    run = Run()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(run, event.recorder)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            run.errors.append(f"{getattr(event, 'label', '')}: {getattr(event, 'value', None) or event.exception!r}")
    return run


def _record(run, recorder):
    method = recorder.label.split(" ", 1)[0]
    for interaction in recorder.interactions.values():
        # only the operation's own method: the checks also send others (OPTIONS is answered 200 by Flask itself)
        if interaction.response is not None and interaction.request.method == method:
            run.statuses[recorder.label][interaction.response.status_code] += 1
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                run.failures.append(f"{recorder.label} {check.name}: {failure.title}\n{failure.message}\n"
                                    f"{check.failure_info.code_sample}")
