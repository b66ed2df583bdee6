"""Assessment benchmarks: scoring, report rendering and concurrent submissions.

    python scripts/bench_assessment.py [--postgres URL]

Figures printed: time to score a 6-respondent team (37 questions), to render each report
format, and the throughput of N respondents submitting at once (one thread each) on SQLite
and, when a URL is given, PostgreSQL, with a check that no answer was lost.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from payforce.assessment.instrument import load_instrument
from payforce.assessment.report import ReportFormat, render_report
from payforce.assessment.scoring import Response, score_assessment
from payforce.assessment.service import admin_view, start_assessment, submit_answers
from payforce.store import assessment_tables as tables
from payforce.store.db import Store

ROLES = ("CEO", "CMO", "CIO", "Compliance", "CNO", "Revenue cycle")


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _concurrent(store: Store, respondents: int, label: str) -> None:
    inst = load_instrument()
    made = start_assessment(
        store,
        inst,
        f"Bench {uuid.uuid4().hex[:6]}",
        created_at="t",
        respondents=[(f"R{i}", "") for i in range(respondents)],
    )
    ids = [q.id for q in inst.questions]
    barrier = threading.Barrier(respondents)

    def run(i: int, token: str) -> None:
        barrier.wait()
        for start in range(0, len(ids), 5):
            chunk = {q: (i + n) % 6 for n, q in enumerate(ids) if start <= n < start + 5}
            submit_answers(store, inst, token, chunk, updated_at="t")

    threads = [
        threading.Thread(target=run, args=(i, t)) for i, (_r, t) in enumerate(made.respondents)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    saved = tables.load_answers(store, made.assessment.assessment_id)
    kept = sum(len(a) for a in saved.values())
    submissions = respondents * ((len(ids) + 4) // 5)
    print(
        f"{label}: {respondents} respondents x {submissions // respondents} submissions at once: "
        f"{elapsed:.2f} s ({submissions / elapsed:.0f} submissions/s); answers kept {kept} of "
        f"{respondents * len(ids)}"
    )


def _postgres(url: str, respondents: int) -> None:
    """Run the concurrency figure in a throwaway schema, dropped afterwards."""
    import sqlalchemy

    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    pg = Store.open(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        _concurrent(pg, respondents, "PostgreSQL")
    finally:
        pg.dispose()
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="PostgreSQL URL for the concurrency figure")
    parser.add_argument("--respondents", type=int, default=12)
    args = parser.parse_args()
    inst = load_instrument()
    rng = random.Random(7)
    team = [Response(r, r, {q.id: rng.randint(0, 5) for q in inst.questions}) for r in ROLES]
    print(f"load + validate instrument: {_median_ms(load_instrument, 5):.1f} ms")
    print(
        "score 6 respondents x 37 questions: "
        f"{_median_ms(lambda: score_assessment(inst, team), 50):.2f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        made = start_assessment(
            store, inst, "Bench Org", created_at="t", respondents=[(r, "") for r in ROLES]
        )
        for (_rec, token), resp in zip(made.respondents, team, strict=True):
            submit_answers(store, inst, token, dict(resp.answers), updated_at="t")
        assert made.admin_token is not None
        data = admin_view(store, inst, made.admin_token)
        for fmt in ReportFormat:
            ms = _median_ms(lambda fmt=fmt: render_report(fmt, data, inst, "2026-07-01"), 3)
            size = len(render_report(fmt, data, inst, "2026-07-01"))
            print(f"render {fmt.value} report: {ms:.0f} ms ({size / 1024:.0f} KiB)")
        _concurrent(store, args.respondents, "SQLite")
        store.dispose()
    if args.postgres:
        _postgres(args.postgres, args.respondents)
    print("rerun: python scripts/bench_assessment.py [--postgres postgresql://…]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
