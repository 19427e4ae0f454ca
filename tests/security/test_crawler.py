"""Every page, asked by every role with hostile ids and query strings, answers without a server error."""
import re

import pytest

from tests.concerns.conftest import Concerns, png
from tests.conftest import Auth

HOSTILE = ["1" + "0" * 30, "-1", "0", "0001-01-01", "9999-12-31", "ünï©ødé ☃ \u202e", "", "\x00", "%00",
           "' OR 1=1 --", "<script>x</script>", "1e309", "NaN", "2026-02-30"]
# Query names the pages read (queue search, filters, report periods, paging, redirects, cursors).
QUERY_NAMES = ["q", "status", "category", "page", "from", "to", "since", "next", "year", "kind", "who",
               "day", "month", "term", "sort", "token"]
ROLES = [None, "staff", "dsl", "head", "governor", "admin"]


def html_rules(app):
    return sorted((r for r in app.url_map.iter_rules()
                   if "GET" in r.methods and r.endpoint != "static" and not r.rule.startswith("/api/")),
                  key=lambda r: r.rule)


def fill(rule, value):
    """Put one value in every variable part of a route's path (ids beyond any row included)."""
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", value, rule.rule)


def urls(app, concern_id):
    for rule in html_rules(app):
        path = fill(rule, str(concern_id)) if rule.arguments else rule.rule
        for value in HOSTILE:
            yield path + "?" + "&".join(f"{name}={quote(value)}" for name in QUERY_NAMES)
        for ident in (["1" + "0" * 30, "0", "-1", "x%00", "%E2%98%83", "9999-12-31"] if rule.arguments else []):
            yield fill(rule, ident)


def quote(value):
    from urllib.parse import quote as url_quote
    return url_quote(value, safe="")


@pytest.mark.parametrize("who", ROLES)
def test_no_page_answers_500_to_hostile_input(app, client, auth, who):
    concern_id = Concerns(client, auth).log("staff", {"account": "Crawled"}, files=[("a.png", png())])
    if who:
        Auth(client).login(who)
    app.config["TESTING"] = False  # an error becomes the 500 page a person would see
    failures = []
    for url in urls(app, concern_id):
        status = client.get(url).status_code
        if status >= 500:
            failures.append((status, url))
    assert not failures, sorted({url.split('?')[0] for _, url in failures})
    assert len(html_rules(app)) > 30
