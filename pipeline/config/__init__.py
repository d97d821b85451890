"""figwatch.toml: parsed with tomllib, `${VAR}`-expanded from the environment, validated once.

`load_config` either returns a complete, frozen `Config` or raises `ConfigError` listing every
problem with its path (`sources[2].every: invalid duration '15 minutes' ...`). Secrets (webhook
secret, SMTP URL) are `SecretStr`; no problem message echoes a secret or an expanded variable.
"""

from pipeline.config.fields import ConfigError, parse_duration, redact_url
from pipeline.config.loading import (
    DEFAULT_CONFIG_FILE,
    config_path,
    load_config,
    readable_by_others,
)
from pipeline.config.models import (
    BACKOFF_CAP,
    AlertConfig,
    AppriseAlert,
    Config,
    Defaults,
    EmailAlert,
    Outbox,
    SmtpServer,
    Source,
    SourceSchedule,
    Subjects,
    WebhookAlert,
)

__all__ = [
    "BACKOFF_CAP", "DEFAULT_CONFIG_FILE", "AlertConfig", "AppriseAlert", "Config", "ConfigError",
    "Defaults", "EmailAlert", "Outbox", "SmtpServer", "Source", "SourceSchedule", "Subjects",
    "WebhookAlert", "config_path", "load_config", "parse_duration", "readable_by_others",
    "redact_url",
]  # fmt: skip
