"""Fee values per CMS release: each value public from its release date; reads pick by as_of."""

from __future__ import annotations

from datetime import date

import pytest
from fs_helpers import PPRRVU_2026, fee_bytes, rvu25_zip
from sqlalchemy import text

from payforce.economics.ledger import ledger_changes
from payforce.economics.programs import quote_payment
from payforce.errors import InputError
from payforce.signals.base import load_evidence
from payforce.store import fee_tables, queries, schema
from payforce.store.db import Store, upsert_rows
from payforce.store.snapshot import load_snapshot, value_rows


def _value(release: str, day: date, payment: float, total: float) -> dict:
    return {
        "code": "99454",
        "year": 2026,
        "setting": "nonfacility",
        "release": release,
        "available_from": day,
        "work_rvu": 0.0,
        "pe_rvu": total - 0.01,
        "mp_rvu": 0.01,
        "total_rvu": total,
        "conversion_factor": 33.4009,
        "payment": payment,
        "approximate": False,
        "source": f"{release} test row",
    }


def test_code_values_newest_release_public_by_as_of(any_empty_store: Store):
    store = any_empty_store
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.code_values,
            [
                _value("2025-19787", date(2025, 11, 5), 47.43, 1.42),
                _value("RVU26C", date(2026, 6, 30), 52.11, 1.56),
            ],
        )
    assert queries.list_code_values(store, "99454", date(2025, 11, 4)) == []
    (nov,) = queries.list_code_values(store, "99454", date(2025, 11, 15))
    assert (nov.payment, nov.release, nov.available_from) == (
        47.43,
        "2025-19787",
        date(2025, 11, 5),
    )
    (jul,) = queries.list_code_values(store, "99454", date(2026, 7, 1))
    assert (jul.payment, jul.release) == (52.11, "RVU26C")
    (latest,) = queries.list_code_values(store, "99454")
    assert latest.release == "RVU26C"
    both = queries.list_code_values(store, "99454", every_release=True)
    assert [v.release for v in both] == ["2025-19787", "RVU26C"]
    # the ledger says the July release revised the final rule's amount, from July on
    assert not [c for c in ledger_changes(store, date(2026, 6, 29)) if c.kind == "revised"]
    (rev,) = [c for c in ledger_changes(store, date(2026, 7, 1)) if c.kind == "revised"]
    assert (rev.before, rev.after, rev.published, rev.release) == (
        47.43,
        52.11,
        date(2026, 6, 30),
        "RVU26C",
    )
    assert rev.detail == (
        "99454 2026 national revised $47.43 (2026, non-QP) (2025-19787) → $52.11 (2026, non-QP) "
        "(RVU26C, public 2026-06-30) (+9.9%); total RVU 1.42 → 1.56"
    )
    # the ledger and pay read the same choice
    rvu = fee_tables.get_rvu(store, "99454", 2026, as_of=date(2025, 11, 15))
    assert rvu is not None and (rvu.pe_nonfacility, rvu.release) == (1.41, "2025-19787")


def test_bundled_values_carry_their_release():
    rows = value_rows()
    by = {(r["code"], r["year"], r["setting"]): r for r in rows}
    assert by[("99454", 2026, "nonfacility")]["release"] == "RVU26C"
    assert by[("99454", 2026, "nonfacility")]["available_from"] == date(2026, 6, 30)
    assert by[("99454", 2025, "nonfacility")]["release"] == "RVU25D"
    assert by[("99454", 2025, "nonfacility")]["available_from"] == date(2025, 9, 11)
    # a payment quoted by secondary sources dates from the final rule that printed it
    assert by[("99458", 2025, "nonfacility")]["release"] == "2024-25382"
    assert by[("99458", 2025, "nonfacility")]["available_from"] == date(2024, 12, 9)
    assert all(r["release"] and r["available_from"] for r in rows)


def test_snapshot_value_without_release_is_refused():
    from payforce.errors import ParseError

    head = "code,year,setting,work_rvu,pe_rvu,mp_rvu,total_rvu,conversion_factor,payment,"
    head += "approximate,source,release,available_from\n"
    row = "99490,2026,nonfacility,1,0.91,0.07,1.98,33.4009,66.13,false,x,,2026-06-30\n"
    with pytest.raises(ParseError) as exc:
        value_rows(head + row)
    assert str(exc.value).startswith("code_values.csv line 2, field release: missing release")


def test_sync_records_release_label_and_date(store: Store):
    summary, _release = fee_tables.sync_fee_schedule(
        store, 2026, data=fee_bytes(PPRRVU_2026), source=PPRRVU_2026
    )
    assert (summary.release, summary.available_from) == ("RVU26C", date(2026, 6, 30))
    values = {v.release for v in queries.list_code_values(store, every_release=True)}
    assert "RVU26C" in values
    summary, _ = fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")
    assert (summary.release, summary.available_from) == ("RVU25D", date(2025, 9, 11))


def test_pay_as_of_sees_only_public_releases(snapshot_store: Store):
    p = quote_payment(snapshot_store, "99490", year=2026, as_of=date(2026, 7, 1))
    assert (str(p.amount), p.release, p.available_from) == ("66.13", "RVU26C", date(2026, 6, 30))
    assert p.to_dict()["available_from"] == "2026-06-30"
    # in January the value printed with the CY2026 final rule (2025-19787, 2025-11-05) applies
    jan = quote_payment(snapshot_store, "99490", year=2026, as_of=date(2026, 1, 15))
    assert (str(jan.amount), jan.release) == ("66.13", "2025-19787")
    with pytest.raises(InputError) as exc:
        quote_payment(snapshot_store, "99490", year=2026, as_of=date(2025, 11, 1))
    assert exc.value.message.startswith("99490 2026: no value public by 2025-11-01")


def test_ledger_and_evidence_do_not_see_a_later_release(snapshot_store: Store):
    early = ledger_changes(snapshot_store, date(2026, 1, 15), year=2026)
    # the final rule's value (1.42 RVU = $47.43), not July's $52.11
    (first,) = [c for c in early if c.code == "99454" and c.kind == "revalued"]
    assert (first.after, first.release, first.published) == (47.43, "2025-19787", date(2025, 11, 5))
    later = ledger_changes(snapshot_store, date(2026, 7, 1), year=2026)
    (reval,) = [c for c in later if c.code == "99454" and c.kind == "revalued"]
    assert (reval.after, reval.release, reval.published) == (52.11, "RVU26C", date(2026, 6, 30))
    ev = load_evidence(snapshot_store, date(2025, 11, 15))
    assert all(v.available_from <= date(2025, 11, 15) for vs in ev.values.values() for v in vs)
    (v26,) = [
        v for v in ev.values.get("99454", []) if v.year == 2026 and v.setting == "nonfacility"
    ]
    assert (v26.total_rvu, v26.payment) == (1.42, 47.43)


def test_migration_keeps_synced_values_with_their_release(any_empty_store: Store):
    """A store made before releases were recorded keeps its synced values, now dated."""
    store = any_empty_store
    url = store.engine.url.render_as_string(hide_password=False)
    fee_tables.load_fee_year(
        store,
        2026,
        source="rvu26c.zip",
        pprrvu_file="PPRRVU2026_Jul_nonQPP.csv",
        rows=[],
        release="July",
        released=date(2026, 6, 30),
    )
    with store.begin() as conn:
        conn.execute(text("DROP TABLE code_values"))
        conn.execute(
            text(
                "CREATE TABLE code_values (code VARCHAR(10), year INTEGER, setting VARCHAR(20), "
                "work_rvu FLOAT, pe_rvu FLOAT, mp_rvu FLOAT, total_rvu FLOAT, "
                "conversion_factor FLOAT, payment FLOAT, approximate BOOLEAN NOT NULL, "
                "source TEXT NOT NULL, PRIMARY KEY (code, year, setting))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO code_values VALUES ('99490', 2026, 'nonfacility', 1, 0.91, 0.07, "
                "1.98, 33.4009, 66.13, false, 'PPRRVU2026_Jul_nonQPP.csv line 13093'), "
                "('99490', 2025, 'nonfacility', 1, 0.91, 0.07, 1.98, 32.3465, 64.05, false, "
                "'CMS RVU25D bundled')"
            )
        )
        conn.execute(text("DELETE FROM migrations WHERE name = '0002_code_values_release'"))
        conn.execute(text("DELETE FROM meta WHERE key = 'schema_digest'"))
    store = Store.open(url)
    values = queries.list_code_values(store, every_release=True)
    assert [(v.code, v.year, v.release, v.available_from) for v in values] == [
        ("99490", 2026, "RVU26C", date(2026, 6, 30))
    ]
    assert store.get_meta("snapshot_digest") is None  # the bundled rows come back on next open
    load_snapshot(store)
    # the bundled releases: the CY2026 final rule's value and RVU26C's
    assert {v.release for v in queries.list_code_values(store, "99490", every_release=True)} == {
        "2025-19787",
        "RVU26C",
    }
    store.dispose()
