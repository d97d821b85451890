"""The pydantic models of figwatch.toml: what each table may hold and how it is validated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)

# The [[alerts]] models live with their channel types (pipeline.config.channels, the registry);
# re-exported here so `from pipeline.config.models import WebhookAlert` keeps working.
from pipeline.config.channels import (
    AlertConfig,
    AnyAlert,
    AppriseAlert,
    EmailAlert,
    SmtpServer,
    WebhookAlert,
)
from pipeline.config.fields import (
    Duration,
    DurationOrZero,
    HttpUrl,
    Name,
    OneLine,
    redact_url,
)

BACKOFF_CAP = timedelta(hours=1)
__all__ = ["AlertConfig", "AppriseAlert", "EmailAlert", "SmtpServer", "WebhookAlert"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Defaults(_Model):
    """[defaults]: what every source inherits."""

    every: Duration = timedelta(minutes=15)
    jitter: DurationOrZero = timedelta(seconds=30)
    timeout: Duration = timedelta(seconds=30)
    max_bytes: StrictInt = Field(default=5_000_000, gt=0)
    user_agent: OneLine | None = None
    alert_on_first_check: StrictBool = False
    # More figure changes than this in one check send one "page changed drastically" alert.
    flood_limit: int = Field(default=20, ge=1)
    # Failed checks in a row before a source.failing alert (and, later, source.recovered).
    fail_after: StrictInt = Field(default=3, ge=1)


class FetchConfig(_Model):
    """[fetch]: how pages are fetched, for every source."""

    # Redirects to loopback, private, link-local, CGNAT, ... addresses are refused unless the
    # source's own URL names that host; true allows them all (a source may say otherwise).
    allow_private: StrictBool = False
    # Checks in flight at once in `run` and `check`, and pages being parsed at once (0: twice
    # the workers); parsing workers (None: one per core but one, at least one; 0: in this process).
    in_flight: int = Field(default=16, ge=1)
    parsing: int = Field(default=0, ge=0)
    workers: int | None = Field(default=None, ge=0)
    # Politeness to each host (a source may say otherwise): requests at once, least time
    # between two, robots.txt; transient errors retried within a check; a contact URL named in
    # the User-Agent.
    per_host: int = Field(default=4, ge=1)
    host_delay: DurationOrZero = timedelta(0)
    robots: StrictBool = True
    retries: int = Field(default=2, ge=0, le=5)
    contact: HttpUrl | None = None


class Source(_Model):
    """One [[sources]] entry. `every` and `cron` exclusive; neither = defaults.every."""

    name: Name
    url: HttpUrl
    every: Duration | None = None
    cron: str | None = None
    selector: str | None = None
    alerts: tuple[str, ...] | None = None
    alert_on_first_check: StrictBool | None = None
    flood_limit: int | None = Field(default=None, ge=1)
    fail_after: StrictInt | None = Field(default=None, ge=1)
    enabled: StrictBool = True
    allow_private: StrictBool | None = None  # None = [fetch] allow_private
    per_host: int | None = Field(default=None, ge=1)  # None = [fetch] per_host, and so on
    host_delay: DurationOrZero | None = None
    robots: StrictBool | None = None

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            from apscheduler.triggers.cron import CronTrigger  # only for a cron given

            try:
                CronTrigger.from_crontab(value, timezone=UTC)
            except ValueError as exc:
                raise ValueError(f"invalid cron expression {value!r}: {exc}") from None
        return value

    @field_validator("selector")
    @classmethod
    def _valid_selector(cls, value: str | None) -> str | None:
        if value is not None:
            import soupsieve  # here: loading a config without selectors leaves bs4 unloaded

            try:
                soupsieve.compile(value)
            except soupsieve.SelectorSyntaxError as exc:
                first = str(exc).splitlines()[0]
                raise ValueError(f"invalid CSS selector {value!r}: {first}") from None
        return value


def _lower_aliases(value: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, val in value.items():
        k, v = " ".join(key.lower().split()), " ".join(val.lower().split())
        if not k or not v:
            raise ValueError(f"empty alias in {key!r} = {val!r}")
        if out.get(k, v) != v:
            raise ValueError(f"alias {k!r} given twice with different targets")
        out[k] = v
    return out


class Subjects(_Model):
    """[subjects]: extra aliases for the extractor, lower-cased, whitespace collapsed."""

    aliases: Annotated[dict[str, str], AfterValidator(_lower_aliases)] = Field(default_factory=dict)


class Outbox(_Model):
    """[outbox]: delivery retries."""

    max_attempts: StrictInt = Field(default=8, ge=1)
    backoff: Duration = timedelta(seconds=30)
    drain_every: Duration = timedelta(seconds=30)
    # How long `figwatch check` keeps retrying the alerts it queued before it exits.
    check_wait: Duration = timedelta(minutes=2)

    def retry_delay(self, attempt: int) -> timedelta:
        """Delay before retry number `attempt` (1 = first retry): backoff doubling, capped at 1h."""
        return min(self.backoff * 2 ** max(attempt - 1, 0), BACKOFF_CAP)


class Retention(_Model):
    """[retention]: how long fetch rows and superseded article versions are kept.

    Whatever its age, a fetch that an observation or a change refers to is kept, and so is each
    source's newest fetch and newest article text (storage/retention.py).
    """

    keep: Duration = timedelta(days=30)
    every: Duration = timedelta(hours=1)  # how often `figwatch run` prunes


class Http(_Model):
    """[http]: the status server of `figwatch run` (`--http` wins); off when unset."""

    listen: str | None = Field(
        default=None, pattern=r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$"
    )


class Cluster(_Model):
    """[cluster]: several `figwatch run` on one PostgreSQL database (pipeline/cluster.py). Every
    key has a default: starting another instance with the same config is all it takes."""

    # This instance's name in `figwatch sources` (fetch_log.instance); None: host:pid.
    instance: Name | None = None
    # An instance silent this long is taken for dead: its checks in flight are started again
    # by the others. Its heartbeat comes every third of this.
    stalled_after: Duration = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class SourceSchedule:
    """A source's effective settings once [defaults] are applied. Exactly one of every/cron."""

    name: str
    url: str
    every: timedelta | None
    cron: str | None
    jitter: timedelta  # as configured; the scheduler caps it at every/4
    timeout: timedelta
    max_bytes: int
    user_agent: str | None
    selector: str | None
    alert_on_first_check: bool
    alerts: tuple[str, ...]  # channel names, resolved (None in the file = all channels)
    enabled: bool
    flood_limit: int
    allow_private: bool
    fail_after: int = 3


def _check_database(value: str) -> str:
    if value.startswith("sqlite://") or value.startswith("postgresql+psycopg://"):
        return value
    raise ValueError("must start with sqlite:/// or postgresql+psycopg://")


class Config(_Model):
    """The whole validated figwatch.toml."""

    database: Annotated[str, AfterValidator(_check_database)] = "sqlite:///figwatch.db"
    defaults: Defaults = Field(default_factory=Defaults)
    fetch: FetchConfig = Field(default_factory=FetchConfig)
    sources: tuple[Source, ...] = ()
    alerts: tuple[AlertConfig, ...] = ()
    subjects: Subjects = Field(default_factory=Subjects)
    outbox: Outbox = Field(default_factory=Outbox)
    retention: Retention = Field(default_factory=Retention)
    http: Http = Field(default_factory=Http)
    cluster: Cluster = Field(default_factory=Cluster)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # The database URL may hold a password.
        for key, value in super().__repr_args__():
            yield key, redact_url(value) if key == "database" else value

    def source(self, name: str) -> Source:
        """The source called `name`; raise KeyError if there is none."""
        for src in self.sources:
            if src.name == name:
                return src
        raise KeyError(name)

    def alerts_for(self, source: Source) -> tuple[AnyAlert, ...]:
        """The alert channels `source` sends to (all of them when it names none)."""
        if source.alerts is None:
            return self.alerts
        return tuple(a for a in self.alerts if a.name in source.alerts)

    def schedule_for(self, source: Source) -> SourceSchedule:
        """`source`'s effective settings, [defaults] filled in."""
        d = self.defaults
        every = source.every if source.every is not None or source.cron else d.every
        first = source.alert_on_first_check
        return SourceSchedule(
            name=source.name, url=source.url, every=every, cron=source.cron, jitter=d.jitter,
            timeout=d.timeout, max_bytes=d.max_bytes, user_agent=d.user_agent,
            selector=source.selector,
            alert_on_first_check=d.alert_on_first_check if first is None else first,
            alerts=tuple(a.name for a in self.alerts_for(source)), enabled=source.enabled,
            flood_limit=source.flood_limit or d.flood_limit,
            allow_private=(
                self.fetch.allow_private if source.allow_private is None else source.allow_private
            ),
            fail_after=source.fail_after or d.fail_after,
        )  # fmt: skip
