"""The keys every [[alerts]] entry takes whatever its type: routing, thresholds, confirmation,
digest and templates. Each channel type's settings model extends `AlertRules`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from alerts.templates import TemplateError, Templates, compile_templates
from pipeline.config.fields import Name, parse_duration
from pipeline.routing import ALL_KINDS, ChannelRules, Digest, subject_keys

_DAILY_RE = re.compile(r"daily\s+([01]\d|2[0-3]):([0-5]\d)(?:\s+(\S+))?")
CATEGORIES = ("killed", "wounded", "killed_or_wounded", "captured", "missing")


def parse_digest(value: str) -> Digest:
    """ "1h" (any duration) or "daily 07:00 Europe/Kyiv" (zone optional, UTC)."""
    text = " ".join(value.split())
    daily = _DAILY_RE.fullmatch(text)
    if daily:
        zone = daily.group(3) or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"digest: unknown time zone {zone!r}") from None
        return Digest(at=f"{daily.group(1)}:{daily.group(2)}", zone=zone)
    try:
        return Digest(every=parse_duration(text))
    except ValueError:
        raise ValueError(
            f'digest: expected a duration ("1h") or "daily HH:MM [Zone]", got {value!r}'
        ) from None


def template_text(value: str) -> str:
    """An inline template, or the text of the file it names (a path ending .j2/.txt/.html/.md)."""
    if "{" not in value and "\n" not in value and value.endswith((".j2", ".txt", ".html", ".md")):
        try:
            return Path(value).read_text(encoding="utf-8")
        except OSError as e:
            raise ValueError(f"cannot read template file {value!r}: {e.strerror}") from None
    return value


class AlertRules(BaseModel):
    """Routing (absent = all), thresholds, confirmation, digest and templates of one channel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    sources: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    claimants: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    min_change: StrictInt | None = Field(default=None, ge=1)
    min_change_pct: float | None = Field(default=None, gt=0)
    confirm: StrictInt = Field(default=1, ge=1)
    digest: str | None = None
    subject_template: str | None = None
    body_template: str | None = None

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for item in value or ():
            if item not in CATEGORIES:
                raise ValueError(f"unknown category {item!r} (known: {', '.join(CATEGORIES)})")
        return value

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for item in value or ():
            if item not in ALL_KINDS:
                raise ValueError(f"unknown kind {item!r} (known: {', '.join(ALL_KINDS)})")
        return value

    @field_validator("digest")
    @classmethod
    def _valid_digest(cls, value: str | None) -> str | None:
        if value is not None:
            parse_digest(value)
        return value

    @field_validator("subject_template", "body_template")
    @classmethod
    def _read_template(cls, value: str | None) -> str | None:
        return None if value is None else template_text(value)

    @model_validator(mode="after")
    def _templates_compile(self) -> AlertRules:
        try:
            self.templates()
        except TemplateError as e:
            raise ValueError(f"channel {self.name!r}: {e}") from None
        return self

    def templates(self) -> Templates | None:
        """The compiled templates, or None when the channel has none. Raises TemplateError."""
        if self.subject_template is None and self.body_template is None:
            return None
        return compile_templates(self.subject_template, self.body_template)

    def rules(self, aliases: Mapping[str, str]) -> ChannelRules:
        """The routing rules of this channel, subject and claimant names made keys."""
        return ChannelRules(
            name=self.name,
            sources=None if self.sources is None else frozenset(self.sources),
            categories=None if self.categories is None else frozenset(self.categories),
            subjects=None if self.subjects is None else subject_keys(self.subjects, aliases),
            claimants=None if self.claimants is None else subject_keys(self.claimants, aliases),
            kinds=None if self.kinds is None else frozenset(self.kinds),
            min_change=self.min_change,
            min_change_pct=self.min_change_pct,
            confirm=self.confirm,
            digest=None if self.digest is None else parse_digest(self.digest),
        )
