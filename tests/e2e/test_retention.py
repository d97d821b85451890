"""Retention over real checks: old fetch rows and superseded texts go; evidence never does."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.models import Change, Document, Fetch, Observation, Source
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, app_for, config_for, toll
from tests.servers import LoopbackServer


def test_retention_keeps_evidence_and_each_sources_newest_rows(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook, retention={"keep": "30d"})
    quiet = config.sources[0].model_copy(update={"name": "quiet", "url": site.url("/quiet")})
    config = config.model_copy(update={"sources": (*config.sources, quiet)})
    site.add("/news/marden", page([INTRO, toll(12, 30)], updated="09:00"))
    start = clock.now
    with app_for(config, clock) as (app, loop):
        for day in range(41):
            clock.now = start + timedelta(days=day)
            if day in (0, 2, 35):  # a page without figures whose text changes now and then
                site.add("/quiet", page([INTRO, f"Day {day} of the ceasefire talks."], updated="x"))
            if day == 38:
                site.add("/news/marden", "<p>gone</p>", status=404)
            loop.run_until_complete(app.runner.check_all(app.jobs()))
        clock.now = start + timedelta(days=41)
        with app.session_factory() as session:
            before = {f.id: f for f in session.exec(select(Fetch))}
            documents_before = set(session.exec(select(Document.id)))
            ids = {s.name: s.id for s in session.exec(select(Source))}
        pruned = loop.run_until_complete(app.prune())
        with app.session_factory() as session:
            after = {f.id: f for f in session.exec(select(Fetch))}
            documents = set(session.exec(select(Document.id)))
            evidence = set(session.exec(select(Observation.fetch_id))) | set(
                session.exec(select(Change.fetch_id))
            )
    cutoff = start + timedelta(days=11)
    old = {i for i, f in before.items() if f.started_at < cutoff}
    assert len(before) == 82 and len(old) == 22
    assert evidence <= set(after)  # every fetch an observation or change refers to is kept
    # marden's first check holds its figures' evidence; every other old row of both goes
    assert {i for i in old if i in after} == {i for i in old if i in evidence}
    assert len({i for i in old if i in after}) == 1
    assert set(after) == set(before) - (old - evidence)
    assert pruned.fetches == 21
    # quiet's texts of day 0 and day 2 are superseded and gone; its current text stays
    quiet_docs = [
        f.document_id for f in before.values() if f.document_id and f.source_id == ids["quiet"]
    ]
    assert len(quiet_docs) == 3 and documents == documents_before - set(quiet_docs[:2])
    assert pruned.documents == 2
    # what the next check needs is still there: newest fetch, newest page, newest text
    for source_id in ids.values():
        rows = [f for f in after.values() if f.source_id == source_id]
        assert max(f.id for f in rows) == max(
            f.id for f in before.values() if f.source_id == source_id
        )
        assert any(f.document_id for f in rows)
