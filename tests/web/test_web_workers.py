"""``payforce serve --workers N``: several processes, one computation of each whole-store result
(shared through files, :mod:`payforce.web.shared_memo`)."""

from __future__ import annotations

import pickle
import threading
from datetime import date
from pathlib import Path

import httpx
from tests.web.serving import make_store, served

from payforce.web.shared_memo import MAX_FILES, SharedMemo

DAY = date(2026, 6, 30)


def test_shared_memo_computes_once_for_every_process(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    first, second = SharedMemo(tmp_path), SharedMemo(tmp_path)  # two workers' views
    threads = [
        threading.Thread(target=m.get, args=("outlooks", DAY, "v1", compute))
        for m in (first, second, first, second)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert second.get("outlooks", DAY, "v1", compute) == {"answer": 42}
    assert first.get("outlooks", date(2020, 1, 1), "v1", compute) == {"answer": 42}
    assert len(calls) == 2  # another date is another result


def test_shared_memo_drops_old_versions_damaged_files_and_the_oldest(tmp_path: Path) -> None:
    memo = SharedMemo(tmp_path)
    memo.get("outlooks", DAY, "old", lambda: 1)
    assert memo.get("outlooks", DAY, "new", lambda: 2) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["new"]  # a sync made "old" stale
    (path,) = (tmp_path / "new").glob("*.pickle")
    path.write_bytes(b"\x80\x05 half-written")
    assert memo.get("outlooks", DAY, "new", lambda: 3) == 3  # recomputed, not a crash
    assert pickle.loads(path.read_bytes()) == 3
    for n in range(MAX_FILES + 5):
        memo.get(f"kind {n}", DAY, "new", lambda n=n: n)  # type: ignore[misc]
    assert len(list((tmp_path / "new").glob("*.pickle"))) <= MAX_FILES


def test_serve_with_two_workers_answers_and_shares_outlooks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_store(home)
    with served(home, "--workers", "2", "--no-access-log") as (base, _proc):
        for _ in range(4):  # a new connection each: either worker may answer
            with httpx.Client(base_url=base, timeout=120) as one:
                page = one.get("/api/outlook", params={"as_of": DAY.isoformat()})
                assert page.status_code == 200
                assert page.json()["ok"] is True
        with httpx.Client(base_url=base, timeout=120) as client:
            assert client.get("/roles/care_manager_rn").status_code == 200
            assert client.get("/api/meta").json()["backend"] == "sqlite"
    shared = list((home / "cache" / "web").glob("*/*.pickle"))
    assert shared, "the workers shared their outlooks through files"
