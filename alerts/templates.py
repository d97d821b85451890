"""Per-channel alert templates: Jinja2's sandboxed environment, compiled once at start.

Variables a template sees (all page-derived text is untrusted; HTML bodies are autoescaped):

- `type` (figure.new, figure.changed, figure.removed, source.failing, source.recovered,
  source.silent, source.flood, digest), `id`, `source`, `url` (masked), `detected_at` (UTC),
  `summary` (the one-line summary), `label`, `movement`, `decrease` (true when a cumulative toll
  went down: usually a correction or a misread), `note` (source-health detail),
- `figure` and `previous`: category, value, value_max, qualifier, subject, claimant, sentence
  (or none),
- `changes`: for a digest, the list of its alerts, each with the variables above, grouped in
  `groups` (subject -> list).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from alerts.redact import mask_url
from alerts.render import label, movement, one_line

if TYPE_CHECKING:
    from jinja2 import Template

    from alerts.message import AlertMessage


class TemplateError(ValueError):
    """A template does not compile (at start) or failed to render (at delivery)."""


@dataclass(frozen=True)
class Templates:
    """A channel's compiled subject and body templates (either may be None: the default)."""

    subject: Template | None
    body: Template | None
    html: bool  # the body is HTML (autoescaped)

    def render_subject(self, message: AlertMessage) -> str | None:
        """The subject line (one line, control characters removed), or None for the default."""
        if self.subject is None:
            return None
        return one_line(_render(self.subject, message))

    def render_body(self, message: AlertMessage) -> str | None:
        """The body, or None for the default."""
        if self.body is None:
            return None
        return _render(self.body, message)


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def compile_templates(subject: str | None, body: str | None) -> Templates:
    """Compile both templates in a sandbox; raise TemplateError saying which and where."""
    html = body is not None and looks_like_html(body)
    # A missing variable renders empty: `{{ figure.value }}` in a source-health alert (no
    # figure) must not fail its delivery. Each template is rendered once here with a sample.
    compiled: list[Template | None] = []
    for key, text, escape in (("subject_template", subject, False), ("body_template", body, html)):
        if text is None:
            compiled.append(None)
            continue
        from jinja2 import TemplateSyntaxError  # Jinja2 loads only where a template is set
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(autoescape=escape)
        try:
            compiled.append(env.from_string(text))
        except TemplateSyntaxError as e:
            raise TemplateError(f"{key} line {e.lineno}: {e.message}") from None
    templates = Templates(compiled[0], compiled[1], html)
    for sample in samples():
        templates.render_subject(sample)
        templates.render_body(sample)
    return templates


def samples() -> list[AlertMessage]:
    """A figure change and a source-health alert, for rendering templates once at start."""
    from alerts.message import AlertMessage, FigureView

    sentence = "At least 12 civilians were killed, the governor said."
    figure = FigureView("killed", 12, None, "at_least", "civilians", "governor", sentence)
    previous = FigureView("killed", 10, None, "at_least", "civilians", "governor", sentence)
    at = datetime(2025, 1, 14, 9, 10, tzinfo=UTC)
    changed = AlertMessage(
        "fw_sample", "figure.changed", "sample", "https://example.org/", figure, previous, at, 0
    )
    health = AlertMessage(
        "fw_sample", "source.failing", "sample", "https://example.org/", None, None, at, 0,
        note="3 failed checks in a row",
    )  # fmt: skip
    return [changed, health]


def context(message: AlertMessage) -> dict[str, Any]:
    """The variables of one alert (see the module docstring)."""
    ctx = message.to_payload()
    ctx.update(
        label=label(message),
        movement=movement(message),
        url=mask_url(message.url),
        detected_at=message.detected_at,
        decrease=message.decrease,
        note=message.note,
    )
    return ctx


def _render(template: Template, message: AlertMessage) -> str:
    from jinja2.exceptions import SecurityError
    from jinja2.exceptions import TemplateError as JinjaError

    try:
        return template.render(context(message))
    except (JinjaError, SecurityError, ArithmeticError, LookupError, TypeError, ValueError) as e:
        raise TemplateError(f"template failed: {type(e).__name__}: {e}") from None


def group_by_subject(items: list[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Digest items by their figure's subject ("(no subject)" for health alerts)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        side = item.get("figure") or item.get("previous") or {}
        groups.setdefault(side.get("subject") or "(no subject)", []).append(item)
    return groups
