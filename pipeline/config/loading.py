"""Reading figwatch.toml: `${VAR}` expansion, validation, and problem messages with paths."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from pipeline.config.channels import CHANNEL_TYPES, type_names
from pipeline.config.fields import ConfigError
from pipeline.config.models import (
    Config,
)

DEFAULT_CONFIG_FILE = "figwatch.toml"
_ENV_RE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")
# Fields whose input is never echoed in a problem message: secrets, or likely to carry one.
_SECRET_KEYS = {"secret", "smtp", "headers", "database"}


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
    resolve_alerts: bool = True  # False: ${VAR}s under [[alerts]] are left as written
    unresolved: list[Loc] = field(default_factory=list)  # where they were left


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
        if not ex.resolve_alerts and loc[:1] == ("alerts",):
            ex.unresolved.append(loc)
            return m.group(0)
        if name not in ex.env:
            ex.problems.append((loc, f"environment variable {name} is not set"))
            return ""
        value = ex.env[name]
        if len(value) >= 3:  # shorter values would garble messages, and are no secret
            ex.values.add(value)
        return value

    return _ENV_RE.sub(sub, node)


def _known_keys() -> list[str]:
    """Every key the config knows, at any depth: the "did you mean" candidates."""
    keys: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
            for inner in _models_in(info.annotation):
                walk(inner)

    walk(Config)
    return sorted(keys)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The BaseModel classes an annotation names (through tuples, unions, Annotated, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _message(err: Mapping[str, Any], loc: Loc) -> str:
    """A problem message from one pydantic error; echoes the input only when it is safe."""
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        near = difflib.get_close_matches(str(loc[-1]), _known_keys(), n=1)
        return "unknown key" + (f" (did you mean {near[0]!r}?)" if near else "")
    if kind == "union_tag_not_found":
        return f"missing 'type' (expected {type_names()})"
    if kind == "union_tag_invalid":
        return f"unknown alert type {err['ctx']['tag']!r} (expected {type_names()})"
    if kind == "too_short":
        return "must not be empty"
    if kind == "bool_type":
        return "must be true or false (a TOML boolean, no quotes)" + _got(value, loc)
    if kind == "int_type":
        return "must be a whole number (a TOML integer, no quotes)" + _got(value, loc)
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return msg + _got(value, loc)


def _got(value: object, loc: Loc) -> str:
    """The suffix " (got 'yes')": the input, when it is short and not at a secret key."""
    secret = any(part in _SECRET_KEYS for part in loc if isinstance(part, str))
    if not secret and isinstance(value, str | int | float | bool) and len(str(value)) <= 80:
        return f" (got {value!r})"
    return ""


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


def load_config(path: Path, *, env: Mapping[str, str], alerts: bool = True) -> Config:
    """Read, expand and validate the config at `path`.

    `alerts=False` is for commands that never send an alert (`history`, ...): the ${VAR}s of
    [[alerts]] entries are then neither required nor read, every other problem of those entries
    is still reported, and the Config returned has no alerts (`alerts == ()`).

    Raises ConfigError listing every problem (missing or unreadable file, TOML syntax with
    line and column, unset environment variables, invalid values, unknown keys, duplicate
    names, unknown alert references). No message contains a secret.
    """
    ex = _Expansion(env=env, problems=[], values=set(), resolve_alerts=alerts)
    data = _expand(_read(path), (), ex)
    found: list[tuple[Loc, str]] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc: Loc = tuple(err["loc"])
            if len(loc) > 2 and loc[0] == "alerts" and loc[2] in CHANNEL_TYPES:
                loc = loc[:2] + loc[3:]  # drop the discriminator tag pydantic inserts
            found.append((loc, _message(err, loc)))
    found += _cross_checks(data)
    # A value whose ${VAR} failed would only add a second, confusing problem at the same path.
    unset = [loc for loc, _ in ex.problems] + ex.unresolved
    problems = ex.problems + [p for p in found if not any(p[0][: len(u)] == u for u in unset)]
    problems.sort(key=_file_order({key: n for n, key in enumerate(data)}))
    if problems or (config is None and alerts):
        lines = [f"{_path(loc)}: {msg}" for loc, msg in problems]
        for value in sorted(ex.values, key=len, reverse=True):
            lines = [line.replace(value, "***") for line in lines]
        raise ConfigError(path, lines)
    if not alerts:
        # Checked above as written, and left out: their ${VAR}s were never read. Every other
        # problem was reported, so this validates.
        return Config.model_validate({k: v for k, v in data.items() if k != "alerts"})
    assert config is not None
    return config


def readable_by_others(path: Path) -> bool:
    """True when the config file at `path` can be read by its group or by anyone: it may hold
    secrets. False when it cannot be stat'ed (reading it reports that)."""
    try:
        return bool(path.stat().st_mode & 0o044)
    except OSError:
        return False


def _file_order(top: Mapping[str, int]) -> Callable[[tuple[Loc, str]], tuple[int, int]]:
    """Sort key: top-level key as in the file, then entry index; a stable sort does the rest."""

    def key(problem: tuple[Loc, str]) -> tuple[int, int]:
        loc = problem[0]
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
        return (top.get(str(loc[0]), -1) if loc else -1, index)

    return key
