"""figwatch.toml: parsed with tomllib, `${VAR}`-expanded from the environment, validated once.

`load_config` either returns a complete, frozen `Config` or raises `ConfigError` listing every
problem with its path (`sources[2].every: invalid duration '15 minutes' ...`). Secrets (webhook
secret, SMTP URL) are `SecretStr`; no problem message echoes a secret or an expanded variable.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

import soupsieve
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    SecretStr,
    ValidationError,
    field_validator,
)

__all__ = [
    "AlertConfig", "Config", "ConfigError", "Defaults", "EmailAlert", "Outbox", "SmtpServer",
    "Source", "SourceSchedule", "Subjects", "WebhookAlert", "config_path", "load_config",
    "parse_duration", "redact_url",
]  # fmt: skip

DEFAULT_CONFIG_FILE = "figwatch.toml"
_DURATION_HINT = "(use e.g. 90s, 15m, 1h, 1d)"
_DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_NAME_RE = re.compile(r"[A-Za-z0-9._-]+")
_ENV_RE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RESERVED_HEADERS = {"content-type", "webhook-id", "webhook-timestamp", "webhook-signature"}
# Fields whose input is never echoed in a problem message: secrets, or likely to carry one.
_SECRET_KEYS = {"secret", "smtp", "headers", "database"}
BACKOFF_CAP = timedelta(hours=1)


class ConfigError(Exception):
    """The config cannot be used. `problems` holds every "path: message", in file order."""

    def __init__(self, source: Path | str, problems: list[str]) -> None:
        self.source = str(source)
        self.problems = list(problems)
        n = len(self.problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"{self.source}: {n} problem{'s' if n != 1 else ''}:{lines}")


def parse_duration(value: object) -> timedelta:
    """Parse "90s", "15m", "1h30m", "1d" or a bare integer (seconds); raise ValueError if invalid
    or not positive."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"invalid duration {value!r} {_DURATION_HINT}")
    if isinstance(value, int):
        seconds = value
    else:
        text = value.strip().lower()
        match = _DURATION_RE.fullmatch(text)
        if text.isdigit():
            seconds = int(text)
        elif text and match:
            d, h, m, s = (int(g or 0) for g in match.groups())
            seconds = ((d * 24 + h) * 60 + m) * 60 + s
        else:
            raise ValueError(f"invalid duration {value!r} {_DURATION_HINT}")
    if seconds <= 0:
        raise ValueError(f"duration must be positive, got {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, PlainValidator(parse_duration)]


def redact_url(url: str) -> str:
    """Return `url` with any password replaced by `***` (`smtp://u:p@h` -> `smtp://u:***@h`)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # The authority ends at the first / ? or # after the last '@' (an unencoded '@' or '/'
    # in a password must not leak either half of it).
    at = rest.rfind("@")
    if at < 0:
        return url
    userinfo, hostpart = rest[:at], rest[at + 1 :]
    user, colon, _ = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{hostpart}"


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"URL must start with http:// or https://, got {redact_url(value)!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"invalid port in URL {redact_url(value)!r}") from None
    if not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"invalid URL {redact_url(value)!r}")
    return value


def _check_address(value: str) -> str:
    if value.count("@") != 1 or "\r" in value or "\n" in value:
        raise ValueError(f"invalid email address {value!r}")
    local, _, domain = value.partition("@")
    if not local.strip() or not domain.strip():
        raise ValueError(f"invalid email address {value!r}")
    return value


def _check_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):
        raise ValueError(f"invalid name {value!r} (use letters, digits, '.', '_', '-')")
    return value


def _no_newlines(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("must not contain line breaks")
    return value


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
Address = Annotated[str, AfterValidator(_check_address)]
Name = Annotated[str, AfterValidator(_check_name)]
OneLine = Annotated[str, AfterValidator(_no_newlines)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Defaults(_Model):
    """[defaults]: what every source inherits."""

    every: Duration = timedelta(minutes=15)
    jitter: Duration = timedelta(seconds=30)
    timeout: Duration = timedelta(seconds=30)
    max_bytes: int = Field(default=5_000_000, gt=0)
    user_agent: OneLine | None = None
    alert_on_first_check: bool = False


class Source(_Model):
    """One [[sources]] entry. `every` and `cron` exclusive; neither = defaults.every."""

    name: Name
    url: HttpUrl
    every: Duration | None = None
    cron: str | None = None
    selector: str | None = None
    alerts: tuple[str, ...] | None = None
    alert_on_first_check: bool | None = None
    enabled: bool = True

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                CronTrigger.from_crontab(value, timezone=UTC)
            except ValueError as exc:
                raise ValueError(f"invalid cron expression {value!r}: {exc}") from None
        return value

    @field_validator("selector")
    @classmethod
    def _valid_selector(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                soupsieve.compile(value)
            except soupsieve.SelectorSyntaxError as exc:
                first = str(exc).splitlines()[0]
                raise ValueError(f"invalid CSS selector {value!r}: {first}") from None
        return value


class WebhookAlert(_Model):
    """[[alerts]] type = "webhook": one signed JSON POST per alert."""

    type: Literal["webhook"]
    name: Name
    url: HttpUrl
    secret: SecretStr | None = None
    timeout: Duration = timedelta(seconds=10)
    # Headers often carry tokens, so they stay out of repr().
    headers: dict[str, str] = Field(default_factory=dict, repr=False)

    @field_validator("secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from standardwebhooks import Webhook

            try:
                Webhook(value.get_secret_value())
            except Exception:  # noqa: BLE001 - any failure means the same to the user
                raise ValueError(
                    "not a usable Standard Webhooks secret (expected whsec_<base64>)"
                ) from None
        return value

    @field_validator("headers")
    @classmethod
    def _valid_headers(cls, value: dict[str, str]) -> dict[str, str]:
        for key, val in value.items():
            if not _HEADER_NAME_RE.fullmatch(key):
                raise ValueError(f"invalid header name {key!r}")
            if key.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header {key!r} is set by figwatch and cannot be overridden")
            if "\r" in val or "\n" in val:
                raise ValueError(f"header {key!r}: value must not contain line breaks")
        return value


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """The parts of an email alert's `smtp` URL, with the port and TLS mode resolved."""

    host: str
    port: int
    username: str | None
    password: SecretStr | None
    implicit_tls: bool  # smtps://
    starttls: Literal["require", "opportunistic", "off"]  # ignored when implicit_tls


def _parse_smtp(url: str, starttls: str) -> SmtpServer:
    """Split an smtp:// or smtps:// URL; raise ValueError whose message never contains the URL.

    The credentials end at the last '@', so a password from the environment may hold an
    unencoded '@', ':' or '/'; percent-encoded ones are decoded.
    """
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("smtp", "smtps"):
        raise ValueError("SMTP URL must start with smtp:// or smtps://")
    userinfo, at, hostpart = rest.rpartition("@")
    parts = urlsplit(f"smtp://{hostpart}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("SMTP URL has an invalid port") from None
    if not parts.hostname or parts.path.strip("/") or parts.query:
        raise ValueError("SMTP URL must be smtp[s]://[user:password@]host[:port]")
    implicit = scheme.lower() == "smtps"
    if port is None:
        port = 465 if implicit else (25 if starttls == "off" else 587)
    user, colon, password = userinfo.partition(":")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(user) if at and user else None,
        password=SecretStr(unquote(password)) if colon else None,
        implicit_tls=implicit,
        starttls=starttls,  # type: ignore[arg-type]  # checked by the Literal field
    )


class EmailAlert(_Model):
    """[[alerts]] type = "email". `from` is the `from_` attribute."""

    type: Literal["email"]
    name: Name
    smtp: SecretStr
    starttls: Literal["require", "opportunistic", "off"] = "opportunistic"
    from_: Address = Field(alias="from")
    to: tuple[Address, ...] = Field(min_length=1)
    subject_prefix: OneLine = "[figwatch]"

    @field_validator("smtp")
    @classmethod
    def _valid_smtp(cls, value: SecretStr) -> SecretStr:
        _parse_smtp(value.get_secret_value(), "opportunistic")
        return value

    def server(self) -> SmtpServer:
        """The SMTP server to send through (host, port, credentials, TLS mode)."""
        return _parse_smtp(self.smtp.get_secret_value(), self.starttls)


AlertConfig = Annotated[WebhookAlert | EmailAlert, Field(discriminator="type")]


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

    max_attempts: int = Field(default=8, ge=1)
    backoff: Duration = timedelta(seconds=30)
    drain_every: Duration = timedelta(seconds=30)

    def retry_delay(self, attempt: int) -> timedelta:
        """Delay before retry number `attempt` (1 = first retry): backoff doubling, capped at 1h."""
        return min(self.backoff * 2 ** max(attempt - 1, 0), BACKOFF_CAP)


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


def _check_database(value: str) -> str:
    if value.startswith("sqlite://") or value.startswith("postgresql+psycopg://"):
        return value
    raise ValueError("must start with sqlite:/// or postgresql+psycopg://")


class Config(_Model):
    """The whole validated figwatch.toml."""

    database: Annotated[str, AfterValidator(_check_database)] = "sqlite:///figwatch.db"
    defaults: Defaults = Field(default_factory=Defaults)
    sources: tuple[Source, ...] = ()
    alerts: tuple[AlertConfig, ...] = ()
    subjects: Subjects = Field(default_factory=Subjects)
    outbox: Outbox = Field(default_factory=Outbox)

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

    def alerts_for(self, source: Source) -> tuple[WebhookAlert | EmailAlert, ...]:
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
        )  # fmt: skip


# ---------------------------------------------------------------- loading


def config_path(cli_value: str | None, env: Mapping[str, str]) -> Path:
    """The config file to read: --config, else $FIGWATCH_CONFIG, else ./figwatch.toml."""
    return Path(cli_value or env.get("FIGWATCH_CONFIG") or DEFAULT_CONFIG_FILE)


Loc = tuple[str | int, ...]


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out or "(top level)"


@dataclass(slots=True)
class _Expansion:
    env: Mapping[str, str]
    problems: list[tuple[Loc, str]]
    values: set[str]  # every substituted value, scrubbed from messages


def _expand(node: Any, loc: Loc, ex: _Expansion) -> Any:
    """Replace ${VAR} in every string value under `node`; `$${` stays a literal `${`."""
    if isinstance(node, dict):
        return {k: _expand(v, (*loc, k), ex) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand(v, (*loc, i), ex) for i, v in enumerate(node)]
    if not isinstance(node, str):
        return node

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$${":
            return "${"
        name = m.group(1)
        if name is None:
            ex.problems.append((loc, "malformed ${...}: use ${NAME}, or $${ for a literal ${"))
            return ""
        if name not in ex.env:
            ex.problems.append((loc, f"environment variable {name} is not set"))
            return ""
        value = ex.env[name]
        if len(value) >= 3:  # shorter values would garble messages, and are no secret
            ex.values.add(value)
        return value

    return _ENV_RE.sub(sub, node)


def _known_keys() -> list[str]:
    models: list[type[BaseModel]] = [
        Config, Defaults, Source, WebhookAlert, EmailAlert, Subjects, Outbox,
    ]  # fmt: skip
    return sorted({f.alias or n for m in models for n, f in m.model_fields.items()})


def _message(err: Mapping[str, Any], loc: Loc) -> str:
    """A problem message from one pydantic error; echoes the input only when it is safe."""
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        near = difflib.get_close_matches(str(loc[-1]), _known_keys(), n=1)
        return "unknown key" + (f" (did you mean {near[0]!r}?)" if near else "")
    if kind == "union_tag_not_found":
        return "missing 'type' (expected 'webhook' or 'email')"
    if kind == "union_tag_invalid":
        return f"unknown alert type {err['ctx']['tag']!r} (expected 'webhook' or 'email')"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    secret = any(part in _SECRET_KEYS for part in loc if isinstance(part, str))
    if not secret and isinstance(value, str | int | float | bool) and len(str(value)) <= 80:
        msg += f" (got {value!r})"
    return msg


def _cross_checks(raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Checks across entries, on the raw data so they run even when fields are invalid."""
    problems: list[tuple[Loc, str]] = []

    def tables(key: str) -> list[tuple[int, dict[str, Any]]]:
        items = raw.get(key)
        items = items if isinstance(items, list) else []
        return [(i, t) for i, t in enumerate(items) if isinstance(t, dict)]

    alert_names: list[str] = []
    for key in ("sources", "alerts"):
        seen: dict[str, int] = {}
        for i, table in tables(key):
            name = table.get("name")
            if not isinstance(name, str):
                continue
            if name in seen:
                problems.append(
                    ((key, i, "name"), f"duplicate name {name!r} (also {key}[{seen[name]}])")
                )
            else:
                seen[name] = i
        if key == "alerts":
            alert_names = list(seen)
    for i, src in tables("sources"):
        if "every" in src and "cron" in src:
            problems.append(((("sources", i, "cron")), "set either every or cron, not both"))
        refs = src.get("alerts")
        for j, ref in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(ref, str) and ref not in alert_names:
                known = ", ".join(alert_names) or "none defined"
                problems.append(
                    (("sources", i, "alerts", j), f"unknown alert {ref!r} (known: {known})")
                )
    return problems


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, ["file not found (use --config FILE or FIGWATCH_CONFIG)"]) from None
    except OSError as exc:
        raise ConfigError(path, [f"cannot read file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text (byte {exc.start})"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message carries "(at line L, column C)"; it never quotes the file.
        raise ConfigError(path, [f"TOML syntax error: {exc}"]) from None


def load_config(path: Path, *, env: Mapping[str, str]) -> Config:
    """Read, expand and validate the config at `path`.

    Raises ConfigError listing every problem (missing or unreadable file, TOML syntax with
    line and column, unset environment variables, invalid values, unknown keys, duplicate
    names, unknown alert references). No message contains a secret.
    """
    ex = _Expansion(env=env, problems=[], values=set())
    data = _expand(_read(path), (), ex)
    found: list[tuple[Loc, str]] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc: Loc = tuple(err["loc"])
            if len(loc) > 2 and loc[0] == "alerts" and loc[2] in ("webhook", "email"):
                loc = loc[:2] + loc[3:]  # drop the discriminator tag pydantic inserts
            found.append((loc, _message(err, loc)))
    found += _cross_checks(data)
    # A value whose ${VAR} failed would only add a second, confusing problem at the same path.
    unset = [loc for loc, _ in ex.problems]
    problems = ex.problems + [p for p in found if not any(p[0][: len(u)] == u for u in unset)]
    problems.sort(key=_file_order({key: n for n, key in enumerate(data)}))
    if problems or config is None:
        lines = [f"{_path(loc)}: {msg}" for loc, msg in problems]
        for value in sorted(ex.values, key=len, reverse=True):
            lines = [line.replace(value, "***") for line in lines]
        raise ConfigError(path, lines)
    return config


def _file_order(top: Mapping[str, int]) -> Callable[[tuple[Loc, str]], tuple[int, int]]:
    """Sort key: top-level key as in the file, then entry index; a stable sort does the rest."""

    def key(problem: tuple[Loc, str]) -> tuple[int, int]:
        loc = problem[0]
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
        return (top.get(str(loc[0]), -1) if loc else -1, index)

    return key
