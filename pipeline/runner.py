"""One check of one source: fetch, text, figures, diff, record; the stage that writes the database.

Each check records its fetch (even a failed one) and, for a new page version, its article text,
observations, changes and outbox rows in ONE transaction: a process killed mid-check leaves either
all of it or none of it, and the outbox rows it committed are delivered by the next drain.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from alerts.message import FLOOD
from alerts.outbox import enqueue
from pipeline.diff import FigureChange, Known, diff, keyed
from pipeline.fetch import FetchError, FetchSettings, Page, Validators
from pipeline.figures import Figure, find_figures
from pipeline.polite import PoliteFetcher
from pipeline.text import TextError, article_text
from storage import repository as repo
from storage.models import Change, CurrentFigure, Fetch, Observation

log = logging.getLogger(__name__)

REPORT_AFTER = 3  # consecutive failures before a source's error is reported as an error


@dataclass(frozen=True, slots=True)
class SourceJob:
    """What a check needs to know about one configured source."""

    name: str
    url: str
    selector: str | None = None
    channels: tuple[str, ...] = ()
    alert_on_first_check: bool = False
    flood_limit: int = 20  # above this many changes in one check, one "flood" alert instead


@dataclass(frozen=True, slots=True)
class CheckResult:
    source: str
    outcome: str  # changed | unchanged | not_modified | error
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


@dataclass(frozen=True, slots=True)
class _Start:
    """When a check started: `at` by the app's clock (recorded), `tick` for its duration."""

    at: datetime
    tick: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True, slots=True)
class _Parsed:
    title: str | None
    text: str
    text_hash: str
    figures: list[Figure] | None  # None when the text is the same as last time


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
    # Parsing and extraction hold the GIL: they run in worker processes, one per core (0: in
    # one thread of this process, for tests and one-page commands).
    workers: int | None = None
    _cpu: Executor | None = None
    _checks: asyncio.Semaphore | None = None
    _parses: asyncio.Semaphore | None = None
    _fetcher: PoliteFetcher | None = None

    def _polite(self) -> PoliteFetcher:
        if self._fetcher is None:
            self._fetcher = PoliteFetcher(self.client, self.fetch_settings)
        return self._fetcher

    def close(self) -> None:
        """Stop the parsing workers."""
        if self._cpu is not None:
            self._cpu.shutdown(wait=True, cancel_futures=True)
            self._cpu = None

    def _executor(self) -> Executor:
        if self._cpu is None:
            n = (os.cpu_count() or 1) if self.workers is None else self.workers
            if n <= 0:
                self._cpu = ThreadPoolExecutor(1, thread_name_prefix="figwatch-parse")
            else:
                # spawn: workers start from a clean process (not a fork of this one, with its
                # event loop, threads and database connections), children of this one.
                context = multiprocessing.get_context("spawn")
                self._cpu = ProcessPoolExecutor(n, mp_context=context, initializer=_worker_start)
        return self._cpu

    def _gates(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        if self._checks is None or self._parses is None:
            n = (os.cpu_count() or 1) if self.workers is None else max(self.workers, 1)
            self._checks = asyncio.Semaphore(self.in_flight)
            self._parses = asyncio.Semaphore(self.parsing or 2 * n)
        return self._checks, self._parses

    async def check(self, job: SourceJob) -> CheckResult:
        """Check one source. Never raises for a bad page or a failed fetch: those are recorded.

        Raises SQLAlchemyError when the database itself fails (nothing of this check is recorded).
        """
        started = _Start(self.clock())
        before = await asyncio.to_thread(self._before, job)
        try:
            page = await self._polite().fetch(job.url, previous=before.validators)
        except FetchError as e:
            return await asyncio.to_thread(
                self._record_error, job, started, e.kind, str(e), e.transient, e.status_code
            )
        if page.not_modified:
            return await asyncio.to_thread(
                self._record_same, job, started, page, "not_modified", before.source_id
            )
        try:
            async with self._gates()[1]:
                parsed = await asyncio.get_running_loop().run_in_executor(
                    self._executor(),
                    _parse,
                    page.html or "",
                    job.selector,
                    before.text_hash,
                    dict(self.aliases),
                )
        except TextError as e:
            return await asyncio.to_thread(
                self._record_error, job, started, "text", str(e), False, page.status_code
            )
        except Exception as e:  # noqa: BLE001 - a bug on one page must not stop the others
            log.debug("source %s: page could not be read", job.name, exc_info=True)
            message = f"internal error reading the page: {type(e).__name__}: {_first_line(e)}"
            return await asyncio.to_thread(
                self._record_error, job, started, "internal", message, False, page.status_code
            )
        if parsed.figures is None:
            return await asyncio.to_thread(
                self._record_same, job, started, page, "unchanged", before.source_id
            )
        return await asyncio.to_thread(self._record_version, job, started, page, parsed)

    async def check_all(
        self, jobs: Iterable[SourceJob], *, concurrency: int = 16
    ) -> list[CheckResult]:
        """Check many sources, at most `concurrency` at once and at most the runner's
        `in_flight` over all callers; a database failure on one is reported as its result."""
        gate = asyncio.Semaphore(concurrency)
        shared = self._gates()[0]

        async def one(job: SourceJob) -> CheckResult:
            async with gate, shared:
                try:
                    return await self.check(job)
                except SQLAlchemyError as e:
                    log.error("source %s: database error: %s", job.name, _first_line(e))
                    return CheckResult(
                        job.name,
                        "error",
                        error=f"database error: {_first_line(e)}",
                        error_kind="database",
                        transient=True,
                    )

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    # --- stages run in a worker thread -------------------------------------------------------

    def _before(self, job: SourceJob) -> _Before:
        with self.session_factory() as session:
            state = repo.check_state(session=session, name=job.name)
        if state is None or state[0].id is None:
            return _Before(None, None)
        source, last, text_hash = state
        same_url = source.url == job.url
        validators = (
            Validators(etag=last.etag, last_modified=last.last_modified, body_hash=last.body_hash)
            if last is not None and same_url
            else None
        )
        return _Before(validators, text_hash, source.id if same_url else None)

    def _fetch_row(self, source_id: int, started: _Start, outcome: str) -> Fetch:
        return Fetch(
            source_id=source_id,
            started_at=started.at,
            duration_ms=round((time.perf_counter() - started.tick) * 1000),
            outcome=outcome,
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
            source = repo.lock_source(session=session, name=job.name, url=job.url, now=started.at)
            assert source.id is not None
            row = self._fetch_row(source.id, started, "error")
            row.error_kind, row.error, row.status_code = kind, message, status_code
            session.add(row)
            session.flush()
            outcomes = repo.recent_outcomes(session=session, source_id=source.id, limit=50)
        streak = next((i for i, o in enumerate(outcomes) if o != "error"), len(outcomes))
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

    def _record_same(
        self, job: SourceJob, started: _Start, page: Page, outcome: str, source_id: int | None
    ) -> CheckResult:
        """One fetch_log row. A page that did not change diffs nothing, so it takes no lock on
        the source row when that row is known (from `_before`) with this URL: one INSERT."""
        with self.session_factory() as session, session.begin():
            if source_id is None:
                source = repo.lock_source(
                    session=session, name=job.name, url=job.url, now=started.at
                )
                assert source.id is not None
                source_id = source.id
            session.add(_with_page(self._fetch_row(source_id, started, outcome), page))
        return CheckResult(job.name, outcome)

    def _record_version(
        self, job: SourceJob, started: _Start, page: Page, parsed: _Parsed
    ) -> CheckResult:
        assert parsed.figures is not None
        now = self.clock()
        current = keyed(parsed.figures)
        with self.session_factory() as session, session.begin():
            source = repo.lock_source(session=session, name=job.name, url=job.url, now=started.at)
            assert source.id is not None
            silent = not repo.has_baseline(session=session, source_id=source.id) and (
                not job.alert_on_first_check
            )
            document = repo.store_document(
                session=session, source_id=source.id, text=parsed.text, title=parsed.title, now=now
            )
            fetch = _with_page(self._fetch_row(source.id, started, "changed"), page)
            fetch.document_id = document.id
            session.add(fetch)
            session.flush()
            assert fetch.id is not None
            observations = {
                key: Observation(
                    fetch_id=fetch.id,
                    source_id=source.id,
                    key=key,
                    category=f.category.value,
                    value=f.value,
                    value_max=f.value_max,
                    qualifier=f.qualifier.value,
                    subject=f.subject,
                    claimant=f.claimant,
                    sentence=f.sentence,
                    start=f.start,
                    end=f.end,
                    rule=f.rule,
                    observed_at=now,
                )
                for key, f in current.items()
            }
            session.add_all(observations.values())
            session.flush()
            rows = {r.key: r for r in repo.current_figures(session=session, source_id=source.id)}
            changes = diff({k: _known(r) for k, r in rows.items()}, current)
            alerting = not silent and bool(job.channels)
            # One page stating hundreds of new figures (a table, a broken page) must not send
            # hundreds of alerts to every channel: the changes are recorded, one alert says so.
            flood = alerting and sum(c.kind != "moved" for c in changes) > job.flood_limit
            alerted: list[Change] = []
            recorded = 0
            for change in changes:
                state = rows.get(change.old_key or change.key)
                _apply(change, state, observations.get(change.key), session, source.id, now)
                if change.kind == "moved":
                    continue
                row = _change_row(change, source.id, fetch.id, baseline=silent, now=now)
                session.add(row)
                recorded += 1
                if alerting and not flood:
                    alerted.append(row)
            if flood:
                alerted = [_flood_row(source.id, fetch.id, recorded, now)]
                session.add(alerted[0])
                log.warning(
                    "source %s: %d figure changes in one check; one flood alert sent instead",
                    job.name,
                    recorded,
                )
            session.flush()
            for row in alerted:
                enqueue(session=session, change=row, channels=job.channels, now=now)
        return CheckResult(
            job.name,
            "changed",
            changes=recorded,
            alerts=len(alerted) * len(job.channels),
            figures=len(current),
            baseline=silent,
            alerted=tuple(row.id for row in alerted if row.id is not None),
        )


def _worker_start() -> None:
    """In a parsing worker: die with the service (a killed service leaves no workers behind
    holding its pipes)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent is already gone
        os._exit(0)


def _parse(
    html: str, selector: str | None, previous_hash: str | None, aliases: dict[str, str]
) -> _Parsed:
    """Article text and, when the text is new, its figures: run in a parsing worker."""
    article = article_text(html, selector=selector)
    digest = repo.text_hash(article.text)
    if digest == previous_hash:
        return _Parsed(article.title, article.text, digest, None)
    return _Parsed(article.title, article.text, digest, find_figures(article.text, aliases=aliases))


def _with_page(row: Fetch, page: Page) -> Fetch:
    row.status_code = page.status_code
    row.final_url = page.final_url
    row.etag = page.etag
    row.last_modified = page.last_modified
    row.body_hash = page.body_hash
    row.body_bytes = page.body_bytes
    return row


def _known(row: CurrentFigure) -> Known:
    return Known(
        key=row.key,
        category=row.category,
        value=row.value,
        value_max=row.value_max,
        qualifier=row.qualifier,
        subject=row.subject,
        claimant=row.claimant,
        sentence=row.sentence,
        active=row.active,
    )


def _change_row(
    change: FigureChange, source_id: int, fetch_id: int, *, baseline: bool, now: datetime
) -> Change:
    old = change.old if change.kind != "new" else None
    new = change.new
    ref = new if new is not None else change.old
    assert ref is not None
    category = ref.category if isinstance(ref.category, str) else ref.category.value
    return Change(
        source_id=source_id,
        fetch_id=fetch_id,
        key=change.key,
        kind=change.kind,
        category=str(category),
        subject=ref.subject,
        claimant=ref.claimant,
        old_value=old.value if old else None,
        old_value_max=old.value_max if old else None,
        old_qualifier=old.qualifier if old else None,
        old_sentence=old.sentence if old else None,
        new_value=new.value if new else None,
        new_value_max=new.value_max if new else None,
        new_qualifier=new.qualifier.value if new else None,
        new_sentence=new.sentence if new else None,
        baseline=baseline,
        detected_at=now,
    )


def _flood_row(source_id: int, fetch_id: int, count: int, now: datetime) -> Change:
    """The change row of a flood: `new_value` holds how many figure changes the check found."""
    return Change(
        source_id=source_id,
        fetch_id=fetch_id,
        key="",
        kind=FLOOD,
        category="",
        new_value=count,
        detected_at=now,
    )


def _apply(
    change: FigureChange,
    row: CurrentFigure | None,
    observation: Observation | None,
    session: Session,
    source_id: int,
    now: datetime,
) -> None:
    """Bring the source's current figure for `change.key` up to date."""
    if change.kind == "removed":
        assert row is not None
        row.active = False
        row.updated_at = now
        session.add(row)
        return
    new = change.new
    assert new is not None and observation is not None
    if row is None:
        row = CurrentFigure(
            source_id=source_id,
            key=change.key,
            category=new.category.value,
            value=new.value,
            qualifier=new.qualifier.value,
            sentence=new.sentence,
            updated_at=now,
        )
    row.key = change.key
    row.value, row.value_max, row.qualifier = new.value, new.value_max, new.qualifier.value
    row.subject, row.claimant, row.sentence = new.subject, new.claimant, new.sentence
    row.active, row.observation_id, row.updated_at = True, observation.id, now
    session.add(row)


def _first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__
