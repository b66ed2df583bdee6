"""O*NET text-file parsers and fetcher, on real excerpts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest

from payforce.errors import FetchError, ParseError
from payforce.sources.onet import (
    ATTRIBUTION,
    fetch_onet,
    parse_onet_dir,
    parse_onet_zip,
    parse_related,
    parse_skills,
    parse_tasks,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "onet"


def asset(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


def test_parse_onet_dir_reads_the_healthcare_excerpts():
    db = parse_onet_dir(asset("Read Me.txt").parent)
    assert db.release == "O*NET 27.0 Database"
    assert (len(db.occupations), len(db.alternate_titles), len(db.tasks)) == (117, 270, 272)
    occ = {o.onet_soc: o.title for o in db.occupations}
    assert (
        occ["29-1141.00"] == "Registered Nurses"
        and occ["29-2072.00"] == "Medical Records Specialists"
    )
    alts = [a for a in db.alternate_titles if a.onet_soc == "11-9111.00"]
    assert alts[0].title == "Assisted Living Administrator"
    assert alts[0].short_title == "" and alts[0].sources == "09"  # 'n/a' → '', codes kept as text


def test_parse_tasks_keeps_raw_double_quotes_without_merging_lines():
    text = asset("Task Statements_healthcare_sample.txt").read_text(encoding="utf-8")
    tasks = parse_tasks(text)
    assert len(tasks) == 272
    quoted = [t for t in tasks if '"' in t.task]
    assert len(quoted) == 7
    head_counts = next(t for t in tasks if t.task_id == 15287)
    assert (
        head_counts.task == 'Conduct "head counts" to help predict the outcome of upcoming votes.'
    )
    assert head_counts.task_type == ""  # 'n/a' for analyst rows


def test_parse_skills_joins_importance_and_level():
    skills = parse_skills(asset("dictionary_examples", "Skills.txt").read_text(encoding="utf-8"))
    by_name = {s.name: s for s in skills}
    assert len(skills) == 4
    assert (
        by_name["Reading Comprehension"].importance,
        by_name["Reading Comprehension"].level,
    ) == (3.0, 2.88)
    assert by_name["Writing"].element_id == "2.A.1.c" and by_name["Writing"].level == 2.62


def test_parse_related_occupations():
    related = parse_related(
        asset("dictionary_examples", "Related Occupations.txt").read_text(encoding="utf-8")
    )
    assert [(r.related_soc, r.tier, r.rank) for r in related] == [
        ("17-1012.00", "Primary-Short", 1),
        ("11-9021.00", "Primary-Short", 2),
        ("27-1025.00", "Primary-Short", 3),
    ]


def _zip_of_samples() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, fixture in (
            ("db_27_0_text/Occupation Data.txt", "Occupation Data_healthcare.txt"),
            ("db_27_0_text/Alternate Titles.txt", "Alternate Titles_healthcare_sample.txt"),
            ("db_27_0_text/Task Statements.txt", "Task Statements_healthcare_sample.txt"),
            ("db_27_0_text/Read Me.txt", "Read Me.txt"),
            ("db_27_0_text/Skills.txt", "dictionary_examples/Skills.txt"),
        ):
            zf.writestr(name, asset(*fixture.split("/")).read_bytes())
    return buf.getvalue()


def test_parse_onet_zip_as_distributed():
    db = parse_onet_zip(_zip_of_samples(), "db_27_0_text.zip")
    assert db.release == "O*NET 27.0 Database"
    assert len(db.occupations) == 117 and len(db.skills) == 4 and db.related == ()


def test_broken_file_message():
    with pytest.raises(ParseError) as exc:
        parse_onet_dir(asset("broken", "Occupation Data.txt").parent)
    assert exc.value.message == (
        "Occupation Data.txt line 2: expected 3 tab-separated fields, got 2 "
        "('29-1141.00\\tRegistered Nurses'). "
        "The file may have been re-saved with quoting; use the O*NET original"
    )


def test_zip_without_occupation_data_message():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Read Me.txt", "O*NET 27.0 Database\n")
    with pytest.raises(ParseError) as exc:
        parse_onet_zip(buf.getvalue(), "db.zip")
    assert exc.value.message == (
        "db.zip: no 'Occupation Data.txt' ('Read Me.txt'). "
        "Pass the O*NET db_<version>_text.zip or its extracted folder"
    )


def test_fetch_onet_gets_the_release_zip():
    body = _zip_of_samples()

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) != "https://www.onetcenter.org/dl_files/database/db_27_0_text.zip":
            pytest.fail(f"unexpected request {request.url}")
        return httpx.Response(200, content=body)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        data, url = fetch_onet(client, "27_0")
    assert len(parse_onet_zip(data, url).occupations) == 117


def test_fetch_onet_unknown_release_message():
    with (
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as client,
        pytest.raises(FetchError) as exc,
    ):
        fetch_onet(client, "99_9")
    assert exc.value.message == (
        "https://www.onetcenter.org/dl_files/database/db_99_9_text.zip (HTTP 404): "
        "unexpected response. Check the release (e.g. 30_0), or pass --from-file"
    )


def test_attribution_names_the_license_and_the_source():
    assert "CC BY 4.0" in ATTRIBUTION and "USDOL/ETA" in ATTRIBUTION and "O*NET" in ATTRIBUTION
