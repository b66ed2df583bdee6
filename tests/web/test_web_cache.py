"""The in-process caches: outlooks per (as_of, data version), responses per URL and version."""

from __future__ import annotations

from datetime import date

from payforce.store.workforce_tables import oews_employment
from payforce.web.views import ViewContext


def test_outlooks_are_cached_until_the_data_changes(store, monkeypatch):
    import payforce.signals.outlook as outlook_module

    calls = []
    real = outlook_module.compute_outlooks

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(outlook_module, "compute_outlooks", counting)
    ctx = ViewContext(store, version_ttl=0)
    first = ctx.outlooks(date(2026, 6, 30))
    assert ctx.outlooks(date(2026, 6, 30)) is first
    assert len(calls) == 1
    with store.begin() as conn:  # a BLS sync changes wages: the version must change
        t = oews_employment
        conn.execute(t.update().values(median_wage=t.c.median_wage + 1))
    ctx.outlooks(date(2026, 6, 30))
    assert len(calls) == 2


def test_pages_change_when_the_data_changes(store, client_for):
    client = client_for(store)
    client.app.state.ctx.version_ttl = 0
    before = client.get("/roles").text
    assert "$93,600" in before
    with store.begin() as conn:  # the wage is read from the newest OEWS vintage (May 2024)
        t = oews_employment
        conn.execute(
            t.update().where(t.c.soc == "29-1141", t.c.year == 2024).values(median_wage=99999)
        )
    after = client.get("/roles").text
    assert "$99,999" in after and "$93,600" not in after.split("Care manager / care")[1][:400]


def test_private_requests_and_responses_are_not_cached(store, client_for):
    from payforce.web.app import ResponseCache

    client = client_for(store)
    client.get("/roles")
    cache = next(m for m in _layers(client.app) if isinstance(m, ResponseCache))
    assert any(key[0] == "/roles" for key in cache._items)
    client.get("/codes", headers={"Authorization": "Bearer secret"})
    client.get("/documents", headers={"Cookie": "session=1"})
    assert not any(key[0] in ("/codes", "/documents") for key in cache._items)


def _layers(app):
    """The ASGI layers in front of the router (built on first request)."""
    layer = app.middleware_stack
    while layer is not None:
        yield layer
        layer = getattr(layer, "app", None)
