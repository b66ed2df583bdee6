"""Occupation series: one comparable OEWS employment series across the SOC 2010 → 2018 change.

BLS coded the OEWS national files in three ways over 2011-2024: May 2011 mixes SOC 2000 and
SOC 2010 codes (SOC 2000 codes carry a ``*`` in the title: 29-1111 registered nurses still held
the nurse practitioners, midwives and anaesthetists); May 2012-2018 use SOC 2010; May 2019-2020
mix SOC 2010 and SOC 2018 (with temporary combined codes such as 29-1228 and 29-2098); May 2021
on use SOC 2018. An *occupation series* names one occupation (or a merged group) and lists, in
order of preference, the sets of codes whose employment is summed in a given file: the first set
whose every code the file prints is used. So:

- a code that did not change is its own series (``29-1051`` pharmacists);
- a renumbered code has two sets (``29-1292`` dental hygienists = 29-1292, or 29-2021 before);
- a split code is merged to the coarsest comparable group, keyed by the SOC 2010 code whose
  scope it keeps (``29-1069`` = cardiologists + dermatologists + emergency medicine + neurologists
  + pathologists + radiologists + ophthalmologists + physicians all other from 2021, 29-1228 in
  2019-2020, 29-1069 before): each SOC 2018 occupation in it is a role *within* the series;
- a broad group BLS publishes instead of its details is keyed by the broad code (``31-1120`` home
  health and personal care aides = 31-1011 + 39-9021 in SOC 2010; ``29-2010`` laboratory
  technologists and technicians).

Where no comparable set exists for a year the series has no value that year (never a guess):
e.g. registered nurses in May 2011 (29-1111 held the advanced-practice nurses), data scientists
before 2021 (no SOC 2010 code), the hybrid years 2019-2020 of medical records specialists.
``comparable_from`` marks a definition break inside one code (43-6013 took in medical
administrative assistants in SOC 2018): values before it are left out.

The catalog itself (every healthcare series, built from the newest OEWS file and the crosswalk
below) is bundled as ``data/occupation_series.csv`` by ``scripts/build_labour_data.py``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from payforce.errors import ParseError

__all__ = [
    "CROSSWALK",
    "NON_CLINICAL",
    "SERIES_FILE",
    "TOTAL",
    "SeriesDef",
    "is_healthcare_code",
    "load_series_defs",
    "parse_series_defs",
    "series_value",
]

SERIES_FILE = "occupation_series.csv"
TOTAL = "00-0000"

NON_CLINICAL = (
    "11-9111",
    "13-1041",
    "15-1211",
    "15-2051",
    "21-1022",
    "21-1091",
    "21-1093",
    "21-1094",
    "43-3021",
    "43-4171",
    "43-6013",
)
"""Occupations outside SOC 29-/31- that payment policy touches (billing, coding, analytics…)."""


def is_healthcare_code(soc: str) -> bool:
    """True for SOC 29- (practitioners and technical) and 31- (support) codes."""
    return soc.startswith(("29-", "31-")) and not soc.endswith("0000")


@dataclass(frozen=True)
class SeriesDef:
    """How one occupation series is measured in each OEWS (and Employment Projections) file."""

    key: str
    """A SOC 2018 code, a broad SOC 2018 code, or the SOC 2010 code of a merged group."""
    title: str
    """Readable title."""
    alternatives: tuple[tuple[str, ...], ...]
    """Code sets summed, in order of preference; the first set a file prints in full is used."""
    soc2018: tuple[str, ...]
    """SOC 2018 detailed occupations inside the series (each is a role)."""
    soc2010: tuple[str, ...] = ()
    """SOC 2010 codes it covers (empty when the occupation had no SOC 2010 code)."""
    kind: str = "detailed"
    """``detailed``, ``merged`` (a comparable group), ``aggregate`` or ``total``."""
    healthcare: bool = True
    """True for SOC 29-/31- series; False for the non-clinical ones and all occupations."""
    comparable_from: int | None = None
    """First May-year whose value is comparable with the latest (a definition break before)."""
    note: str = ""
    """What the mapping hides."""
    roles: tuple[str, ...] = field(default=())
    """Curated role keys measured by this series (filled from roles.csv)."""


def _s(
    key: str,
    title: str,
    alts: list[list[str]],
    soc2018: list[str],
    soc2010: list[str] | None = None,
    kind: str = "detailed",
    note: str = "",
    comparable_from: int | None = None,
) -> SeriesDef:
    return SeriesDef(
        key=key,
        title=title,
        alternatives=tuple(tuple(a) for a in alts),
        soc2018=tuple(soc2018),
        soc2010=tuple(soc2010 if soc2010 is not None else alts[-1]),
        kind=kind,
        note=note,
        comparable_from=comparable_from,
    )


_P_OTHER_2018 = ["29-1212", "29-1213", "29-1214", "29-1217", "29-1222", "29-1224", "29-1229"]
_P_HYBRID = [
    "29-1211",
    "29-1215",
    "29-1216",
    "29-1218",
    "29-1221",
    "29-1223",
    "29-1228",
    "29-1248",
]

CROSSWALK: dict[str, SeriesDef] = {
    s.key: s
    for s in (
        _s(
            "29-1141",
            "Registered Nurses",
            [["29-1141"]],
            ["29-1141"],
            note="May 2011 printed SOC 2000 29-1111, which still held nurse anesthetists, "
            "midwives and practitioners: no comparable 2011 value",
        ),
        _s(
            "29-1060",
            "Physicians and Surgeons (all)",
            [
                ["29-1210", "29-1240"],
                ["29-1060"],
                [f"29-106{i}" for i in range(1, 8)] + ["29-1069"],
                _P_HYBRID,
                ["29-1211", "29-1215", "29-1216", "29-1218", "29-1221", "29-1223"]
                + [*_P_OTHER_2018, "29-1241", "29-1242", "29-1243", "29-1249"],
            ],
            ["29-1210", "29-1240"],
            ["29-1060"],
            kind="aggregate",
            note="SOC 2010 29-1060 = SOC 2018 29-1210 physicians + 29-1240 surgeons",
        ),
        _s("29-1211", "Anesthesiologists", [["29-1211"], ["29-1061"]], ["29-1211"]),
        _s("29-1215", "Family Medicine Physicians", [["29-1215"], ["29-1062"]], ["29-1215"]),
        _s(
            "29-1216",
            "General Internal Medicine Physicians",
            [["29-1216"], ["29-1063"]],
            ["29-1216"],
        ),
        _s("29-1218", "Obstetricians and Gynecologists", [["29-1218"], ["29-1064"]], ["29-1218"]),
        _s("29-1221", "Pediatricians, General", [["29-1221"], ["29-1065"]], ["29-1221"]),
        _s("29-1223", "Psychiatrists", [["29-1223"], ["29-1066"]], ["29-1223"]),
        _s(
            "29-1069",
            "Physicians, other specialties (incl. cardiology, radiology, ophthalmology)",
            [[*_P_OTHER_2018, "29-1241"], ["29-1228"], ["29-1069"]],
            [*_P_OTHER_2018, "29-1241"],
            kind="merged",
            note="SOC 2010 29-1069 'all other' held cardiologists, radiologists, dermatologists, "
            "neurologists, pathologists, emergency physicians and ophthalmologists; split out "
            "in SOC 2018 (2019-20: 29-1228). Compared as one group",
        ),
        _s(
            "29-1067",
            "Surgeons, except ophthalmologists",
            [["29-1242", "29-1243", "29-1249"], ["29-1248"], ["29-1067"]],
            ["29-1242", "29-1243", "29-1249"],
            kind="merged",
            note="SOC 2010 29-1067 Surgeons = SOC 2018 29-1242 + 29-1243 + 29-1249 "
            "(2019-20: 29-1248)",
        ),
        _s(
            "29-1199",
            "Other diagnosing and treating practitioners (incl. acupuncturists)",
            [["29-1291", "29-1299"], ["29-1298"], ["29-1199"]],
            ["29-1291", "29-1299"],
            kind="merged",
            note="Acupuncturists were split out of 29-1199 in SOC 2018 (2019-20: 29-1298)",
        ),
        _s(
            "29-1292",
            "Dental Hygienists",
            [["29-1292"], ["29-2021"]],
            ["29-1292"],
            note="Renumbered from 29-2021",
        ),
        _s(
            "29-1126",
            "Respiratory Therapists",
            [["29-1126", "29-2054"], ["29-1126"]],
            ["29-1126"],
            ["29-1126", "29-2054"],
            note="SOC 2018 folded 29-2054 respiratory therapy technicians into 29-1126",
        ),
        _s(
            "29-2010",
            "Clinical Laboratory Technologists and Technicians",
            [["29-2010"], ["29-2011", "29-2012"]],
            ["29-2011", "29-2012"],
            ["29-2011", "29-2012"],
            note="OEWS prints only the broad group from May 2017",
        ),
        _s(
            "29-2040",
            "Emergency Medical Technicians and Paramedics",
            [["29-2040"], ["29-2042", "29-2043"], ["29-2041"]],
            ["29-2042", "29-2043"],
            kind="merged",
            note="SOC 2010 29-2041 split into 29-2042 EMTs and 29-2043 paramedics",
        ),
        _s(
            "29-2071",
            "Medical records and health information (records specialists + HI technologists)",
            [["29-2072", "29-9021"], ["29-2071"]],
            ["29-2072", "29-9021"],
            kind="merged",
            note="SOC 2010 29-2071 split into 29-2072 and 29-9021 (which also took part of "
            "29-2099); 2019-20 merged them with residual codes (29-2098, 29-9098): no value",
        ),
        _s(
            "29-2099",
            "Health Technologists and Technicians, All Other",
            [["29-2099"]],
            ["29-2099"],
            comparable_from=2021,
            note="Residual; contents changed in SOC 2018 (medical dosimetrists split out)",
        ),
        _s(
            "29-9099",
            "Healthcare Practitioners and Technical Workers, All Other",
            [["29-9099"]],
            ["29-9099"],
            comparable_from=2021,
            note="Residual; contents changed in SOC 2018 (surgical assistants split out)",
        ),
        _s(
            "31-1120",
            "Home Health and Personal Care Aides",
            [["31-1120"], ["31-1011", "39-9021"]],
            ["31-1120"],
            ["31-1011", "39-9021"],
            kind="merged",
            note="SOC 2018 31-1120 = SOC 2010 31-1011 home health aides + 39-9021 personal "
            "care aides; OEWS prints only the broad group",
        ),
        _s("31-1131", "Nursing Assistants", [["31-1131"], ["31-1014"]], ["31-1131"]),
        _s("31-1132", "Orderlies", [["31-1132"], ["31-1015"]], ["31-1132"]),
        _s("31-1133", "Psychiatric Aides", [["31-1133"], ["31-1013"]], ["31-1133"]),
        _s(
            "15-1211",
            "Computer Systems Analysts",
            [["15-1211"], ["15-1121"]],
            ["15-1211"],
            note="15-1121 → 15-1211, which also took health informatics specialists from 15-1199",
        ),
        _s(
            "15-2051",
            "Data Scientists",
            [["15-2051"]],
            ["15-2051"],
            [],
            note="No SOC 2010 code (spread over 15-1199 and 15-2041): values from May 2021 only",
        ),
        _s(
            "43-6013",
            "Medical Secretaries and Administrative Assistants",
            [["43-6013"]],
            ["43-6013"],
            comparable_from=2019,
            note="SOC 2018 (in OEWS from May 2019) added medical administrative assistants "
            "from 43-6014: earlier values are not comparable",
        ),
    )
}
"""Series whose codes changed, keyed by series key (BLS SOC 2010-to-2018 crosswalk)."""


def series_value(
    spec: SeriesDef, year: int, values: dict[str, int | None], *, across_years: bool = True
) -> tuple[int | None, tuple[str, ...]]:
    """The series' value in one file (``values``: code → number) and the codes summed.

    None when no code set is printed in full, or (``across_years``: the value will be compared
    with other years) the year is before ``comparable_from``.
    """
    if across_years and spec.comparable_from is not None and year < spec.comparable_from:
        return None, ()
    for codes in spec.alternatives:
        got = [values.get(c) for c in codes]
        if got and all(v is not None for v in got):
            return sum(v for v in got if v is not None), codes
    return None, ()


_FIELDS = (
    "key",
    "title",
    "kind",
    "healthcare",
    "soc2018",
    "soc2010",
    "alternatives",
    "comparable_from",
    "roles",
    "note",
)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split("|") if c)


def parse_series_defs(text: str, name: str = SERIES_FILE) -> dict[str, SeriesDef]:
    """Parse the bundled series catalog (alternatives: sets split by ``;``, codes by ``+``)."""
    out: dict[str, SeriesDef] = {}
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in _FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise ParseError("missing column " + ", ".join(missing), path=name, line=1)
    for line, r in enumerate(reader, start=2):
        try:
            cf = int(r["comparable_from"]) if r["comparable_from"] else None
        except ValueError:
            raise ParseError(
                "not a year",
                path=name,
                line=line,
                field="comparable_from",
                value=r["comparable_from"],
            ) from None
        alts = tuple(tuple(a.split("+")) for a in r["alternatives"].split(";") if a)
        if not alts:
            raise ParseError("no code set", path=name, line=line, field="alternatives")
        out[r["key"]] = SeriesDef(
            key=r["key"],
            title=r["title"],
            alternatives=alts,
            soc2018=_codes(r["soc2018"]),
            soc2010=_codes(r["soc2010"]),
            kind=r["kind"],
            healthcare=r["healthcare"] == "1",
            comparable_from=cf,
            note=r["note"],
            roles=_codes(r["roles"]),
        )
    return out


@cache
def load_series_defs() -> dict[str, SeriesDef]:
    """The bundled series catalog (``data/occupation_series.csv``)."""
    text = resources.files("payforce.data").joinpath(SERIES_FILE).read_text(encoding="utf-8")
    return parse_series_defs(text)


def series_rows(defs: dict[str, SeriesDef]) -> list[dict[str, str]]:
    """CSV rows for :func:`parse_series_defs` (used by the build script)."""
    return [
        {
            "key": s.key,
            "title": s.title,
            "kind": s.kind,
            "healthcare": "1" if s.healthcare else "0",
            "soc2018": "|".join(s.soc2018),
            "soc2010": "|".join(s.soc2010),
            "alternatives": ";".join("+".join(a) for a in s.alternatives),
            "comparable_from": "" if s.comparable_from is None else str(s.comparable_from),
            "roles": "|".join(s.roles),
            "note": s.note,
        }
        for s in defs.values()
    ]
