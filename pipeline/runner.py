"""One check of one source: fetch, text, figures, diff, record; the stage that writes the database.

Each check records its fetch (even a failed one) and, for a new page version, its article text,
observations, changes and outbox rows in ONE transaction: a process killed mid-check leaves either
all of it or none of it, and the outbox rows it committed are delivered by the next drain.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from alerts.message import FAILING
from alerts.redact import mask_url
from pipeline.alerting import add_good_fetch, add_good_fetch_values, health_row, queue
from pipeline.charset import Undecodable
from pipeline.diff import keyed
from pipeline.fetch import FetchError, FetchSettings, Page, Validators, undecodable
from pipeline.parsing import Parsed, parse_page, ready, worker_start
from pipeline.polite import PoliteFetcher
from pipeline.recording import record_figures
from pipeline.routing import ChannelRules
from pipeline.text import TextError
from storage import hotpath
from storage import repository as repo
from storage.db import first_line
from storage.models import Change, Fetch

log = logging.getLogger(__name__)

T = TypeVar("T")

REPORT_AFTER = 3  # consecutive failures before a source's error is reported as an error
# How long the first unchanged row of a batch waits for others before they are written together:
# without it a pass over a thousand unchanged pages (bench.scale, nginx) wrote 669 transactions
# of one or two rows, about 15% of the pass's profile; with 5 ms, 184. A waiting check holds its
# in-flight slot, so this stays short.
SAME_GATHER = 0.005


@dataclass(frozen=True, slots=True)
class SourceJob:
    """What a check needs to know about one configured source."""

    name: str
    url: str
    selector: str | None = None
    channels: tuple[str, ...] = ()
    alert_on_first_check: bool = False
    flood_limit: int = 20  # above this many changes in one check, one "flood" alert instead
    rules: tuple[ChannelRules, ...] = ()  # per channel; a channel without rules gets everything
    fail_after: int = 3  # failed checks in a row before a source.failing alert
    # Cluster mode: this check's fencing token (storage.repository.take_fence); its result is
    # recorded only while the token is the source's newest. None: no fencing (one instance).
    fence: int | None = None


class Superseded(Exception):
    """A newer check of the source started (another instance took over): this one's result
    must not be recorded."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    source: str
    outcome: str  # changed | unchanged | not_modified | error | superseded
    changes: int = 0
    alerts: int = 0
    figures: int = 0
    baseline: bool = False
    error: str | None = None
    error_kind: str | None = None
    transient: bool = False
    consecutive_errors: int = 0
    alerted: tuple[int, ...] = ()  # ids of the changes whose alerts this check queued


@dataclass(frozen=True, slots=True)
class _Before:
    validators: Validators | None
    text_hash: str | None
    source_id: int | None = None  # the source's row, when it exists and has this URL
    after_error: bool = False  # the source's newest check failed: a good one may be a recovery


@dataclass(frozen=True, slots=True)
class _Start:
    """When a check started: `at` by the app's clock (recorded), `tick` for its duration."""

    at: datetime
    tick: float = field(default_factory=time.perf_counter)


@dataclass
class Runner:
    """Runs checks with one shared HTTP client, session factory and clock."""

    session_factory: Callable[[], Session]
    client: httpx.AsyncClient
    fetch_settings: FetchSettings
    clock: Callable[[], datetime]
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Checks in flight at once, and pages handed to the parsers at once (parsing or queued for
    # a worker): one limit each for `run` and `check`, whatever calls `check`.
    in_flight: int = 16
    parsing: int = 0  # 0: twice the workers
    # Parsing and extraction hold the GIL: they run in worker processes, one per core but one
    # (0: in one thread of this process, for tests and one-page commands).
    workers: int | None = None
    # Threads for the database stages (0: asyncio's default pool). SQLite takes one writer at a
    # time: with one thread, a check's transaction waits in a queue here, not in SQLite's
    # busy handler, which sleeps in steps of up to 100 ms.
    db_threads: int = 0
    # Set when the service stops: a check still waiting for its turn is cancelled, not started.
    stopping: bool = False
    instance: str | None = None  # recorded with each fetch (fetch_log.instance)
    _cpu: Executor | None = None
    _db: Executor | None = None
    _checks: asyncio.Semaphore | None = None
    _parses: asyncio.Semaphore | None = None
    _fetcher: PoliteFetcher | None = None
    # Fetch rows of unchanged pages waiting for their batch's INSERT (see `_same`).
    _same_rows: list[tuple[dict[str, Any], asyncio.Future[None]]] = field(default_factory=list)
    _same_writing: asyncio.Lock = field(default_factory=asyncio.Lock)
    _same_flushes: set[asyncio.Task[None]] = field(default_factory=set)

    def _polite(self) -> PoliteFetcher:
        if self._fetcher is None:
            self._fetcher = PoliteFetcher(self.client, self.fetch_settings)
        return self._fetcher

    def close(self) -> None:
        """Stop the parsing workers and the database threads."""
        if self._cpu is not None:
            self._cpu.shutdown(wait=True, cancel_futures=True)
            self._cpu = None
        if self._db is not None:
            self._db.shutdown(wait=True)
            self._db = None

    async def _in_db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a database stage off the event loop, on the runner's database threads."""
        if self.db_threads <= 0:
            return await asyncio.to_thread(fn, *args)
        if self._db is None:
            self._db = ThreadPoolExecutor(self.db_threads, thread_name_prefix="figwatch-db")
        return await asyncio.get_running_loop().run_in_executor(self._db, fn, *args)

    def _executor(self) -> Executor:
        if self._cpu is None:
            n = self._worker_count()
            if n <= 0:
                self._cpu = ThreadPoolExecutor(1, thread_name_prefix="figwatch-parse")
            else:
                # spawn: workers start from a clean process (not a fork of this one, with its
                # event loop, threads and database connections), children of this one.
                context = multiprocessing.get_context("spawn")
                self._cpu = ProcessPoolExecutor(n, mp_context=context, initializer=worker_start)
        return self._cpu

    def start_workers(self) -> None:
        """Start the parsing workers, if not yet started, without waiting for them: a worker
        takes a few tenths of a second to start (a new interpreter, lxml, the extractor), spent
        while the first pages are fetched instead of after the first page is. Only for a pass
        with a source never read (its page is parsed for sure): a pass over sources read before
        may find every page unchanged (a 304 or the same body), and then a worker's start-up
        would be most of the pass's CPU; such a pass starts them at its first changed page."""
        if self._cpu is not None or self._worker_count() <= 0:
            return
        executor = self._executor()
        for _ in range(self._worker_count()):  # each submit starts a worker while none is idle
            executor.submit(ready)

    def _worker_count(self) -> int:
        """Parsing worker processes unless configured (0: a thread instead): one per core but
        one, at least one. The event loop's own work (fetching, pickling pages to the workers,
        the database writes) takes about as much CPU per page as the parsing does, so it has a
        core of its own; on two cores a second worker only competes with it (and holds 35 MB)."""
        return max((os.cpu_count() or 1) - 1, 1) if self.workers is None else self.workers

    def _gates(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        if self._checks is None or self._parses is None:
            n = max(self._worker_count(), 1)
            self._checks = asyncio.Semaphore(self.in_flight)
            self._parses = asyncio.Semaphore(self.parsing or 2 * n)
        return self._checks, self._parses

    async def check(self, job: SourceJob, before: _Before | None = None) -> CheckResult:
        """Check one source. Never raises for a bad page or a failed fetch: those are recorded.
        `before`: its state, when check_all read it with others'. A check whose fencing token
        was overtaken records nothing (outcome "superseded").

        Raises SQLAlchemyError when the database itself fails (nothing of this check is recorded).
        """
        try:
            return await self._check(job, before)
        except Superseded:
            log.warning("source %s: a newer check took over; this one's result dropped", job.name)
            return CheckResult(job.name, "superseded")

    async def _check(self, job: SourceJob, before: _Before | None) -> CheckResult:
        started = _Start(self.clock())
        if before is None:
            before = (await self._in_db(self._befores, [job]))[job.name]
        try:
            # Not decoded here: the body goes to a parsing worker as bytes and is decoded there.
            page = await self._polite().fetch(job.url, previous=before.validators, decode=False)
        except FetchError as e:
            return await self._in_db(
                self._record_error, job, started, e.kind, str(e), e.transient, e.status_code
            )
        if page.not_modified:
            return await self._same(job, started, page, "not_modified", before)
        try:
            async with self._gates()[1]:
                parsed = await asyncio.get_running_loop().run_in_executor(
                    self._executor(),
                    parse_page,
                    page.body or b"",
                    page.charset,
                    job.selector,
                    before.text_hash,
                    dict(self.aliases),
                )
        except Undecodable:
            error = undecodable(mask_url(job.url), page.charset, page.status_code)
            return await self._in_db(
                self._record_error, job, started, error.kind, str(error), False, page.status_code
            )
        except TextError as e:
            return await self._in_db(
                self._record_error, job, started, "text", str(e), False, page.status_code
            )
        except Exception as e:  # noqa: BLE001 - a bug on one page must not stop the others
            log.debug("source %s: page could not be read", job.name, exc_info=True)
            message = f"internal error reading the page: {type(e).__name__}: {first_line(e)}"
            return await self._in_db(
                self._record_error, job, started, "internal", message, False, page.status_code
            )
        # The page's text is read: it is not held while the check waits for the database.
        page = dataclasses.replace(page, body=None)
        if parsed.figures is None:
            return await self._same(job, started, page, "unchanged", before)
        return await self._in_db(self._record_version, job, started, page, parsed, before)

    async def check_all(
        self,
        jobs: Iterable[SourceJob],
        *,
        concurrency: int = 16,
        on_result: Callable[[CheckResult], None] | None = None,
    ) -> list[CheckResult]:
        """Check many sources, at most `concurrency` at once and at most the runner's
        `in_flight` over all callers; a database failure on one is reported as its result.
        `on_result` hears of each result as it comes (a progress bar), the list keeps job order."""
        gate = asyncio.Semaphore(concurrency)
        shared = self._gates()[0]
        jobs = list(jobs)
        try:
            befores = await self._in_db(self._befores, jobs)
        except SQLAlchemyError as e:
            log.error("database error reading the sources' state: %s", first_line(e))
            befores = {}  # each check reads its own, and reports the error as its result
        if any(before.text_hash is None for before in befores.values()):
            self.start_workers()

        async def one(job: SourceJob) -> CheckResult:
            async with gate, shared:
                if self.stopping:
                    raise asyncio.CancelledError("the service is stopping")
                result = await self._check_or_report(job, befores.get(job.name))
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    async def _check_or_report(self, job: SourceJob, before: _Before | None) -> CheckResult:
        try:
            return await self.check(job, before)
        except SQLAlchemyError as e:
            log.error("source %s: database error: %s", job.name, first_line(e))
            return CheckResult(
                job.name,
                "error",
                error=f"database error: {first_line(e)}",
                error_kind="database",
                transient=True,
            )

    # --- stages run in a worker thread -------------------------------------------------------

    def _befores(self, jobs: list[SourceJob]) -> dict[str, _Before]:
        """Each job's state before its fetch, by name, read in a few queries for all of them."""
        with self.session_factory() as session:
            states = repo.check_states(session=session, names=[job.name for job in jobs])
        out = {}
        for job in jobs:
            state = states.get(job.name)
            if state is None:
                out[job.name] = _Before(None, None)
                continue
            last, same_url = state.last_good, state.url == job.url
            validators = (
                Validators(last.etag, last.last_modified, last.body_hash)
                if last is not None and same_url
                else None
            )
            source_id = state.source_id if same_url else None
            out[job.name] = _Before(validators, state.text_hash, source_id, state.last_failed)
        return out

    def _fetch_row(self, source_id: int, started: _Start, outcome: str) -> Fetch:
        return Fetch(
            source_id=source_id,
            started_at=started.at,
            duration_ms=round((time.perf_counter() - started.tick) * 1000),
            outcome=outcome,
            instance=self.instance,
        )

    def _record_error(
        self,
        job: SourceJob,
        started: _Start,
        kind: str,
        message: str,
        transient: bool,
        status_code: int | None,
    ) -> CheckResult:
        with self.session_factory() as session, session.begin():
            source_id, fence = hotpath.lock_source_id(
                session=session, name=job.name, url=job.url, now=started.at
            )
            _hold_fence(session, job, source_id, fence)
            row = self._fetch_row(source_id, started, "error")
            row.error_kind, row.error, row.status_code = kind, message, status_code
            session.add(row)
            session.flush()
            outcomes = repo.recent_outcomes(session=session, source_id=source_id, limit=50)
            streak = next((i for i, o in enumerate(outcomes) if o != "error"), len(outcomes))
            if streak == job.fail_after:
                assert row.id is not None
                note = f"{streak} failed checks in a row; the last: {message}"
                self._alert(session, job, source_id, [
                    health_row(source_id=source_id, fetch_id=row.id, kind=FAILING, note=note,
                               count=streak, now=started.at)
                ], started.at)  # fmt: skip
        level = logging.ERROR if streak >= REPORT_AFTER else logging.INFO
        log.log(level, "source %s: %s (%d in a row)", job.name, message, streak)
        return CheckResult(
            job.name,
            "error",
            error=message,
            error_kind=kind,
            transient=transient,
            consecutive_errors=streak,
        )

    async def _same(
        self, job: SourceJob, started: _Start, page: Page, outcome: str, before: _Before
    ) -> CheckResult:
        """Record a check that found the page unchanged. Its one fetch_log row is written with
        those of the other unchanged pages that finish meanwhile, in one INSERT of one
        transaction (a pass over thousands of unchanged pages is a few transactions, not
        thousands). A source whose row or failure streak must be looked at first, or whose
        channels count confirmations, or whose check holds a fencing token (cluster mode), is
        recorded on its own (`_record_same`).

        Raises SQLAlchemyError when the batch cannot be written (nothing of it is recorded).
        """
        if (
            before.source_id is None
            or before.after_error
            or job.fence is not None
            or any(r.confirm > 1 for r in job.rules)
        ):
            return await self._in_db(self._record_same, job, started, page, outcome, before)
        row = self._page_values(before.source_id, started, page, outcome)
        written = asyncio.get_running_loop().create_future()
        self._same_rows.append((row, written))
        if len(self._same_rows) == 1:  # the first of a batch: the flush that will write it
            flush = asyncio.create_task(self._flush_same())
            self._same_flushes.add(flush)
            flush.add_done_callback(self._same_flushes.discard)
        await written
        return CheckResult(job.name, outcome)

    async def _flush_same(self) -> None:
        """Write the waiting unchanged rows in one transaction; one batch at a time, so the
        rows that come while one is written make up the next."""
        await asyncio.sleep(SAME_GATHER)
        async with self._same_writing:
            batch, self._same_rows = self._same_rows, []
            try:
                await self._in_db(self._insert_fetches, [row for row, _ in batch])
            except Exception as e:  # noqa: BLE001 - each waiting check reports it
                for _, written in batch:
                    if not written.done():
                        written.set_exception(e)
                return
            for _, written in batch:
                if not written.done():
                    written.set_result(None)

    def _insert_fetches(self, rows: list[dict[str, Any]]) -> None:
        with self.session_factory() as session, session.begin():
            hotpath.insert_fetches(session=session, rows=rows)

    def _record_same(
        self, job: SourceJob, started: _Start, page: Page, outcome: str, before: _Before
    ) -> CheckResult:
        """One fetch_log row. A page that did not change diffs nothing, so it takes no lock on
        the source row when that row is known (from `_befores`) with this URL, and looks up no
        failure streak after a good check: one INSERT."""
        source_id = before.source_id
        with self.session_factory() as session, session.begin():
            if source_id is None:
                source_id, _fence = hotpath.lock_source_id(
                    session=session, name=job.name, url=job.url, now=started.at
                )
            _hold_fence(session, job, source_id, None)
            fetch = _with_page(self._fetch_row(source_id, started, outcome), page)
            rows = add_good_fetch(
                session=session, source_id=source_id, fetch=fetch, fail_after=job.fail_after,
                after_error=before.after_error,
            )  # fmt: skip
            alerted = self._alert(session, job, source_id, rows, started.at)
        return CheckResult(
            job.name, outcome, alerts=len(alerted), alerted=tuple({c for c, _ in alerted})
        )

    def _alert(
        self,
        session: Session,
        job: SourceJob,
        source_id: int,
        rows: list[Change],
        now: datetime,
        *,
        confirming: bool = True,
    ) -> list[tuple[int, str]]:
        """Route this check's alert rows (and confirmations) to the job's channels."""
        return queue(
            session=session, source_id=source_id, source=job.name, rows=rows,
            channels=job.channels, rules=job.rules, aliases=self.aliases, now=now,
            confirming=confirming,
        )  # fmt: skip

    def _record_version(
        self, job: SourceJob, started: _Start, page: Page, parsed: Parsed, before: _Before
    ) -> CheckResult:
        assert parsed.figures is not None
        now = self.clock()
        current = keyed(parsed.figures)
        with self.session_factory() as session, session.begin():
            source_id, fence = hotpath.lock_source_id(
                session=session, name=job.name, url=job.url, now=started.at
            )
            _hold_fence(session, job, source_id, fence)
            # A source with a stored text has a baseline: that is known without a query.
            baseline = before.text_hash is not None or hotpath.has_baseline(
                session=session, source_id=source_id
            )
            silent = not baseline and not job.alert_on_first_check
            # The fetch row as column values, not a Fetch object: building and filling a
            # SQLModel object cost more than its INSERT.
            fetch = self._page_values(source_id, started, page, "changed")
            fetch["document_id"] = hotpath.store_document_id(
                session=session, source_id=source_id, text=parsed.text, title=parsed.title,
                now=now, digest=parsed.text_hash, packed=parsed.packed,
            )  # fmt: skip
            fetch_id, health = add_good_fetch_values(
                session=session, source_id=source_id, values=fetch, fail_after=job.fail_after,
                after_error=before.after_error,
            )  # fmt: skip
            recorded = record_figures(
                session=session, source=job.name, source_id=source_id, fetch_id=fetch_id,
                figures=current, flood_limit=job.flood_limit, silent=silent, now=now,
            )  # fmt: skip
            queued = self._alert(
                session, job, source_id, health + list(recorded.to_alert), now,
                confirming=not recorded.flood,
            )  # fmt: skip
        return CheckResult(
            job.name,
            "changed",
            changes=len(recorded.changes),
            alerts=len(queued),
            figures=len(current),
            baseline=silent,
            alerted=tuple(dict.fromkeys(c for c, _ in queued)),
        )

    def _page_values(
        self, source_id: int, started: _Start, page: Page, outcome: str
    ) -> dict[str, Any]:
        """The columns of the fetch row of a check that got `page` (`_with_page(_fetch_row(...))`'s
        as plain values; document_id is None, for the caller to set)."""
        return hotpath.fetch_values(
            source_id=source_id, started_at=started.at, outcome=outcome,
            duration_ms=round((time.perf_counter() - started.tick) * 1000),
            status_code=page.status_code, final_url=page.final_url, etag=page.etag,
            last_modified=page.last_modified, body_hash=page.body_hash,
            body_bytes=page.body_bytes, instance=self.instance,
        )  # fmt: skip


def _hold_fence(session: Session, job: SourceJob, source_id: int, fence: int | None) -> None:
    """Raise Superseded unless `job`'s fencing token is still the source's newest. `fence` is
    the token read with the row lock already held; None reads it (with a share lock)."""
    if job.fence is None:
        return
    held = (
        job.fence == fence
        if fence is not None
        else repo.fence_holds(session=session, source_id=source_id, fence=job.fence)
    )
    if not held:
        raise Superseded(job.name)


def _with_page(row: Fetch, page: Page) -> Fetch:
    row.status_code = page.status_code
    row.final_url = page.final_url
    row.etag = page.etag
    row.last_modified = page.last_modified
    row.body_hash = page.body_hash
    row.body_bytes = page.body_bytes
    return row
