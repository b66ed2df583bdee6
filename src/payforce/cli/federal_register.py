"""Federal Register commands: sync federal-register, calendar, rulemaking, watch, digest, feed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from payforce.cli.app import (
    AsOfOption,
    DbOption,
    JsonOption,
    app,
    check_option,
    emit_json,
    err,
    get_settings,
    open_cli_store,
    out,
    parse_date,
    sync_app,
)
from payforce.errors import InputError, LookupFailedError

if TYPE_CHECKING:
    from payforce.store.db import Store
    from payforce.store.fr_sync import SyncProgress, SyncSummary

watch_app = typer.Typer(
    help="Follow roles, codes, CFR parts, RINs or terms; see `payforce digest`.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(watch_app, name="watch")


class _Bar:
    """A rich progress bar on stderr, fed by the sync's progress callback."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=False,
        )
        self.task: Any = None

    def __enter__(self) -> SyncProgress:
        def update(done: int, total: int, message: str) -> None:
            if self.task is None:
                self.progress.start()
                self.task = self.progress.add_task(message, total=total)
            self.progress.update(self.task, completed=done, total=total, description=message)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.task is not None:
            self.progress.stop()


def _print_summary(summary: SyncSummary, extra: dict[str, Any], json: bool) -> None:
    data = {**summary.to_dict(), **extra}
    if json:
        emit_json(data)
        return
    out(
        f"new {summary.new}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"skipped {len(summary.skipped)}"
    )
    for reason, n in summary.skip_reasons().items():
        out(f"  skipped {n}: {reason}")
    line = f"slices {summary.slices} ({summary.unchanged_slices} unchanged, {summary.splits} split)"
    out(line)
    if summary.full_texts:
        out(f"full texts {summary.full_texts}, provisions {summary.provisions}")
    if "requests" in extra:
        out(f"requests {extra['requests']}, bytes received {extra['bytes_received']}")
    if summary.outside_scope:
        out(
            f"outside scope {summary.outside_scope}: stored, kept out of outlooks and "
            "calendars (see them with --out-of-scope)"
        )
    if summary.watermark:
        out(f"watermark {summary.watermark.isoformat()}")


def _sync_history(store: Store, path: Path, scope_all: bool, json: bool) -> None:
    """Load regulations.gov records (rule history) through their own parser and writer."""
    from payforce.sources.fr_history import iter_history_file, parse_history
    from payforce.store.rule_history import ingest_history

    records = list(iter_history_file(path))  # a bad line fails here, before any write
    docs, skipped = parse_history(records)
    with _Bar("history") as progress:
        summary = ingest_history(
            store, docs, skipped, records=len(records), scope_all=scope_all, progress=progress
        )
    if json:
        emit_json({**summary.to_dict(), "from_file": str(path)})
        return
    out(
        f"regulations.gov records {summary.records} -> {summary.documents} FR documents "
        f"({summary.since} to {summary.until})"
    )
    out(
        f"new {summary.new}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"kept {summary.kept} already from the FR API or snapshot ({summary.filled} filled)"
    )
    out(f"skipped {len(summary.skipped)} records")
    for reason, n in summary.skip_reasons().items():
        out(f"  skipped {n}: {reason}")
    if summary.outside_scope:
        out(
            f"outside scope {summary.outside_scope}: stored, kept out of outlooks and "
            "calendars (see them with --out-of-scope)"
        )
    out("publication date = regulations.gov posting date (confidence medium)")


@sync_app.command("federal-register")
def sync_federal_register(
    since: Annotated[
        str | None,
        typer.Option("--since", help="First publication date, YYYY-MM-DD (default: watermark)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last publication date (default: today).")
    ] = None,
    agency: Annotated[
        list[str] | None,
        typer.Option("--agency", help="Agency slug; repeat for several (default: CMS + HHS)."),
    ] = None,
    doc_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="RULE, PRORULE, NOTICE or PRESDOCU; repeatable."),
    ] = None,
    full_text: Annotated[
        bool,
        typer.Option("--full-text", help="Read full text of payment/health-IT rules."),
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            help="Saved API pages, a JSON array or JSON lines; or regulations.gov v4 records.",
        ),
    ] = None,
    out_of_scope: Annotated[
        bool,
        typer.Option(
            "--out-of-scope",
            help="Count documents of other agencies or types in outlooks and calendars too.",
        ),
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Fetch Federal Register documents into the store (incremental, one transaction per slice).

    Example: payforce sync federal-register --since 2025-06-01 --type PRORULE
    """
    from payforce.sources.federal_register import DEFAULT_AGENCIES, DEFAULT_TYPES, SearchQuery
    from payforce.store.fr_sync import ingest_records

    settings = get_settings(db)
    store = open_cli_store(db)
    if from_file is not None:
        from payforce.sources.federal_register import iter_file_records

        given = [
            name
            for name, value in (
                ("--since", since),
                ("--until", until),
                ("--agency", agency),
                ("--type", doc_type),
                ("--full-text", full_text),
            )
            if value
        ]
        if given:
            raise InputError(
                f"--from-file: cannot be combined with {given[0]} ({', '.join(given)})",
                hint="A file is stored as it is; filter it before, or sync from the API",
            )

        from payforce.sources.fr_history import sniff_history_file

        if sniff_history_file(from_file):
            _sync_history(store, from_file, out_of_scope, json)
            return
        with _Bar("ingest") as progress:
            summary = ingest_records(
                store, iter_file_records(from_file), progress=progress, scope_all=out_of_scope
            )
        _print_summary(summary, {"from_file": str(from_file)}, json)
        return
    query = SearchQuery(
        agencies=tuple(agency) if agency else DEFAULT_AGENCIES,
        types=tuple(t.upper() for t in doc_type) if doc_type else DEFAULT_TYPES,
    )
    start = parse_date(since, "--since", default_today=False)
    end = parse_date(until, "--until")
    assert end is not None
    from payforce.sources.base import PoliteTransport, http_client
    from payforce.store.fr_sync import sync_federal_register as run

    client = http_client(settings)
    try:
        with _Bar("sync") as progress:
            summary = run(
                store,
                client,
                settings.fr_api_url,
                query,
                since=start,
                until=end,
                full_text=full_text,
                progress=progress,
                scope_all=out_of_scope,
            )
    finally:
        client.close()
    transport = client._transport
    extra: dict[str, Any] = {"scope": query.describe(), "api": settings.fr_api_url}
    if isinstance(transport, PoliteTransport):
        extra |= {"requests": transport.requests_sent, "bytes_received": transport.bytes_received}
    _print_summary(summary, extra, json)


@app.command()
def calendar(
    days: Annotated[int, typer.Option("--days", help="How far ahead to look, in days.")] = 90,
    out_of_scope: Annotated[
        bool,
        typer.Option("--out-of-scope", help="Also documents outside the default scope."),
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Upcoming comment deadlines and effective dates of published rules.

    Example: payforce calendar --as-of 2023-08-10 --days 60
    """
    from payforce.rulemaking.calendar import calendar as build

    check_option(days, "--days", 0, 36_500, example="--days 90")
    day = parse_date(as_of, "--as-of")
    assert day is not None
    events = build(open_cli_store(db), day, days, include_out_of_scope=out_of_scope)
    if json:
        emit_json({"as_of": day, "days": days, "events": [e.to_dict() for e in events]})
        return
    if not events:
        out(f"No comment deadlines or effective dates from {day} through {days} days ahead.")
        return
    for e in events:
        d = e.document
        title = d.title.strip()
        out(f"{e.day.isoformat()}  {e.kind:<14}  {d.document_number}  {d.type}: {title}")


@app.command()
def rulemaking(
    document: Annotated[str, typer.Argument(help="A document number (or snapshot key).")],
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One rulemaking: its proposed, final and correction documents, linked, with lead times.

    Example: payforce rulemaking 2024-07567
    """
    from payforce.rulemaking.lifecycle import rulemakings
    from payforce.store.queries import get_document

    day = parse_date(as_of, "--as-of")
    assert day is not None
    store = open_cli_store(db)
    doc = get_document(store, document)
    if doc is None:
        raise LookupFailedError("document", document)
    found = next(
        (
            r
            for r in rulemakings(store, day)
            if any(d.document_number == doc.document_number for d in r.documents)
        ),
        None,
    )
    if found is None:
        raise InputError(
            f"{document}: published after --as-of ({doc.publication_date} > {day})",
            hint="Use a later --as-of",
        )
    if json:
        emit_json({"as_of": day, "rulemaking": found.to_dict()})
        return
    out(f"rulemaking {found.key}")
    for d, s in zip(found.documents, found.stages, strict=True):
        eff = f", effective {d.effective_date}" if d.effective_date else ""
        out(f"  {d.publication_date}  {s:<10}  {d.document_number}  {d.file_code or d.rin}{eff}")
    for c, o in found.corrects:
        out(f"  {c} corrects {o}")
    for label, value in (
        ("proposed → final", found.proposed_to_final_days),
        ("final → effective", found.final_to_effective_days),
        ("proposed → effective", found.proposed_to_effective_days),
    ):
        if value is not None:
            out(f"  {label}: {value} days")


def _watch_value(
    role: str | None, code: str | None, cfr: str | None, rin: str | None, term: str | None
) -> tuple[str, str]:
    given = [
        (k, v)
        for k, v in (("role", role), ("code", code), ("cfr", cfr), ("rin", rin), ("term", term))
        if v is not None
    ]
    if len(given) != 1:
        raise InputError(
            f"watch add: give exactly one of --role, --code, --cfr, --rin, --term ({len(given)})",
            hint="e.g. payforce watch add --code 99490",
        )
    return given[0]


@watch_app.command("add")
def watch_add(
    role: Annotated[str | None, typer.Option("--role", help="A role (free text).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="A CPT/HCPCS code.")] = None,
    cfr: Annotated[str | None, typer.Option("--cfr", help="TITLE:PART, e.g. 42:414.")] = None,
    rin: Annotated[str | None, typer.Option("--rin", help="A RIN, e.g. 0938-AV34.")] = None,
    term: Annotated[str | None, typer.Option("--term", help="Words in title/summary.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Watch a role, code, CFR part, RIN or term (adding twice keeps one watch).

    Example: payforce watch add --cfr 42:414
    """
    from payforce.rulemaking.watch import normalize_watch
    from payforce.store.fr_tables import add_watch

    kind, raw = _watch_value(role, code, cfr, rin, term)
    value = normalize_watch(kind, raw)
    store = open_cli_store(db)
    if kind == "role":
        from payforce.knowledge import load_knowledge
        from payforce.store.queries import list_roles
        from payforce.workforce.resolve import resolve_role

        value = resolve_role(value, list_roles(store), load_knowledge()).key
    watch, created = add_watch(store, kind, value)
    if json:
        emit_json({"watch": watch, "created": created})
        return
    out(f"{'added' if created else 'already watching'} #{watch.id} {watch.kind} {watch.value}")


@watch_app.command("list")
def watch_list(db: DbOption = None, json: JsonOption = False) -> None:
    """List watches.

    Example: payforce watch list
    """
    from payforce.store.fr_tables import list_watches

    watches = list_watches(open_cli_store(db))
    if json:
        emit_json({"watches": watches})
        return
    if not watches:
        out("No watches. Add one with: payforce watch add --code 99490")
    for w in watches:
        out(f"#{w.id}  {w.kind:<5}  {w.value}")


@watch_app.command("remove")
def watch_remove(
    watch_id: Annotated[int, typer.Argument(help="The watch number from `watch list`.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Remove a watch (and its delivery history).

    Example: payforce watch remove 2
    """
    from payforce.store.fr_tables import list_watches, remove_watch

    check_option(watch_id, "watch number", 1, 2**31 - 1, example="payforce watch list")
    store = open_cli_store(db)
    removed = remove_watch(store, watch_id)
    if removed is None:
        raise LookupFailedError(
            "watch",
            f"#{watch_id}",
            [f"#{w.id} {w.kind} {w.value}" for w in list_watches(store)][:3],
        )
    if json:
        emit_json({"removed": removed})
        return
    out(f"removed #{removed.id} {removed.kind} {removed.value}")


@app.command()
def digest(
    since: Annotated[
        str | None, typer.Option("--since", help="Only documents published on/after YYYY-MM-DD.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    preview: Annotated[
        bool, typer.Option("--preview", help="Show without marking the items as delivered.")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """What is new for each watch since the previous digest (never repeats, never misses).

    Example: payforce digest --format md
    """
    from payforce.rulemaking.watch import DIGEST_FORMATS, compute_digest, render_digest
    from payforce.store.fr_tables import record_digest

    if json:
        fmt = "json"
    if fmt not in DIGEST_FORMATS:
        raise InputError(f"--format: expected md, html or json ({fmt!r})")
    day = parse_date(as_of, "--as-of")
    assert day is not None
    store = open_cli_store(db)
    result = compute_digest(store, day, parse_date(since, "--since", default_today=False))
    text = render_digest(result, fmt)  # type: ignore[arg-type]
    out(text.rstrip("\n"), raw=True)
    if not preview:
        record_digest(store, day, [(i.watch.id, i.document.document_number) for i in result.items])
        err(f"{len(result.items)} items delivered; the next digest starts after them")


@app.command()
def feed(
    out_file: Annotated[Path, typer.Option("--out", help="Atom file to write.")],
    limit: Annotated[int, typer.Option("--limit", help="Most documents in the feed.")] = 100,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Write an Atom feed of the documents matching your watches (newest first).

    Example: payforce feed --out payforce.atom
    """
    from payforce.rulemaking.watch import build_digest, document_roles, feed_entries, render_atom
    from payforce.store.fr_tables import list_watches

    check_option(limit, "--limit", 1, 100_000, example="--limit 100")
    day = parse_date(as_of, "--as-of")
    assert day is not None
    store = open_cli_store(db)
    from payforce.store import queries

    watches = list_watches(store)
    roles = document_roles(store, day) if any(w.kind == "role" for w in watches) else {}
    everything = build_digest(
        watches,
        queries.list_documents(store, day),
        queries.list_provisions(store, day),
        roles,
        set(),
        day,
    )
    items = feed_entries(everything, limit)
    generated = (
        datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        if as_of
        else datetime.now(UTC).replace(microsecond=0)
    )
    try:
        out_file.write_text(render_atom(items, generated_at=generated), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--out: cannot write {out_file} ({exc.strerror})") from None
    count = len({i.document.document_number for i in items})
    if json:
        emit_json({"path": str(out_file), "entries": count})
        return
    out(f"wrote {count} entries to {out_file}")
