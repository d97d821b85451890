"""pipeline.config: every test writes a real file in tmp_path and loads it."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.config import (
    Config,
    ConfigError,
    EmailAlert,
    WebhookAlert,
    config_path,
    load_config,
    parse_duration,
    redact_url,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
HOOK_SECRET = "whsec_c2VjcmV0LXRoYXQtbXVzdC1zdGF5LWhpZGRlbg=="
SMTP_PASSWORD = "correct-horse-battery"
ENV = {"FIGWATCH_WEBHOOK_SECRET": HOOK_SECRET, "SMTP_PASSWORD": SMTP_PASSWORD}

FULL = """
database = "sqlite:///figwatch.db"

[defaults]
every = "15m"
timeout = "20s"
user_agent = "figwatch-test/1"

[[sources]]
name = "babel-dprk"
url = "https://babel.example/en/news/1"
every = "10m"
selector = "article"

[[sources]]
name = "ministry.daily"
url = "http://ministry.example/daily"
cron = "*/10 * * * *"
alerts = ["desk-mail"]
alert_on_first_check = true

[[sources]]
name = "quiet_one"
url = "https://quiet.example/"
enabled = false
alerts = []

[[alerts]]
name = "desk-hook"
type = "webhook"
url = "https://hooks.example.org/figwatch"
secret = "${FIGWATCH_WEBHOOK_SECRET}"
headers = { "X-Desk" = "conflict" }

[[alerts]]
name = "desk-mail"
type = "email"
smtp = "smtp://user:${SMTP_PASSWORD}@smtp.example.org:587"
from = "figwatch@example.org"
to = ["desk@example.org"]

[subjects]
aliases = { "DPRK  Troops" = "North Korean soldiers" }

[outbox]
backoff = "1m"
"""


def write(tmp_path: Path, text: str, name: str = "figwatch.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env=ENV if env is None else env)
    return info.value.problems


def test_full_config_loads_with_effective_values(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, FULL), env=ENV)
    babel, ministry, quiet = cfg.sources

    s = cfg.schedule_for(babel)
    assert (s.every, s.cron, s.selector) == (timedelta(minutes=10), None, "article")
    assert (s.timeout, s.jitter, s.max_bytes) == (
        timedelta(seconds=20),
        timedelta(seconds=30),
        5_000_000,
    )
    assert s.user_agent == "figwatch-test/1"
    assert s.alert_on_first_check is False
    assert s.alerts == ("desk-hook", "desk-mail")

    m = cfg.schedule_for(ministry)
    assert (m.every, m.cron, m.alert_on_first_check) == (None, "*/10 * * * *", True)
    assert m.alerts == ("desk-mail",)
    assert [a.name for a in cfg.alerts_for(ministry)] == ["desk-mail"]

    q = cfg.schedule_for(quiet)
    assert (q.every, q.enabled, q.alerts) == (timedelta(minutes=15), False, ())
    assert cfg.source("quiet_one") is quiet

    hook, mail = cfg.alerts
    assert isinstance(hook, WebhookAlert) and isinstance(mail, EmailAlert)
    assert hook.secret is not None and hook.secret.get_secret_value() == HOOK_SECRET
    assert hook.timeout == timedelta(seconds=10) and hook.headers == {"X-Desk": "conflict"}
    server = mail.server()
    assert (server.host, server.port, server.username) == ("smtp.example.org", 587, "user")
    assert server.password is not None and server.password.get_secret_value() == SMTP_PASSWORD
    assert (server.implicit_tls, server.starttls) == (False, "opportunistic")
    assert (mail.from_, mail.to, mail.subject_prefix) == (
        "figwatch@example.org",
        ("desk@example.org",),
        "[figwatch]",
    )

    assert cfg.subjects.aliases == {"dprk troops": "north korean soldiers"}
    assert cfg.outbox.max_attempts == 8
    assert [cfg.outbox.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert cfg.outbox.retry_delay(30) == timedelta(hours=1)


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, ""), env={})
    assert cfg == Config()
    assert cfg.database == "sqlite:///figwatch.db"
    assert cfg.defaults.every == timedelta(minutes=15)
    assert cfg.defaults.alert_on_first_check is False
    assert cfg.outbox.drain_every == timedelta(seconds=30)
    assert cfg.sources == () and cfg.alerts == ()


def test_config_is_frozen(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, FULL), env=ENV)
    with pytest.raises(ValueError):
        cfg.sources[0].every = timedelta(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("scheme", "port"),
    [("smtp", 587), ("smtps", 465)],
)
def test_smtp_default_ports(tmp_path: Path, scheme: str, port: int) -> None:
    text = f"""
    [[alerts]]
    name = "m"
    type = "email"
    smtp = "{scheme}://smtp.example.org"
    from = "a@example.org"
    to = ["b@example.org"]
    """
    (alert,) = load_config(write(tmp_path, text), env={}).alerts
    assert isinstance(alert, EmailAlert)
    assert alert.server().port == port
    assert alert.server().implicit_tls is (scheme == "smtps")


def test_smtp_plain_port_and_odd_password(tmp_path: Path) -> None:
    text = """
    [[alerts]]
    name = "m"
    type = "email"
    smtp = "smtp://me:${PW}@mail.example.org"
    starttls = "off"
    from = "a@example.org"
    to = ["b@example.org"]
    """
    (alert,) = load_config(write(tmp_path, text), env={"PW": "p@ss/wo:rd"}).alerts
    assert isinstance(alert, EmailAlert)
    server = alert.server()
    assert (server.host, server.port, server.starttls) == ("mail.example.org", 25, "off")
    assert server.password is not None and server.password.get_secret_value() == "p@ss/wo:rd"


def test_env_expansion(tmp_path: Path) -> None:
    text = """
    database = "sqlite:///${DATA_DIR}/fw.db"
    [defaults]
    every = "${EVERY}"
    user_agent = "figwatch (${CONTACT}) costs $${NOT_A_VAR} and $5"
    """
    env = {"DATA_DIR": "/var/lib/fw", "EVERY": "1h30m", "CONTACT": "ops@example.org"}
    cfg = load_config(write(tmp_path, text), env=env)
    assert cfg.database == "sqlite:////var/lib/fw/fw.db"
    assert cfg.defaults.every == timedelta(hours=1, minutes=30)
    assert cfg.defaults.user_agent == "figwatch (ops@example.org) costs ${NOT_A_VAR} and $5"


def test_missing_env_var_names_path_and_variable(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, FULL, env={"SMTP_PASSWORD": "x"})
    # Only the expansion problem: no second complaint about the emptied secret.
    assert problems == ["alerts[0].secret: environment variable FIGWATCH_WEBHOOK_SECRET is not set"]


def test_malformed_reference_is_a_problem(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, '[defaults]\nuser_agent = "x ${not closed"\n')
    assert len(problems) == 1 and problems[0].startswith("defaults.user_agent: malformed ${")


SOURCE = '[[sources]]\nname = "s"\nurl = "https://a.example/"\n'
WEBHOOK = '[[alerts]]\nname = "h"\ntype = "webhook"\nurl = "https://h.example/"\n'
EMAIL = '[[alerts]]\nname = "m"\ntype = "email"\nsmtp = "smtp://h.example"\n'
EMAIL_OK = EMAIL + 'from = "a@example.org"\nto = ["b@example.org"]\n'

BAD_CASES = [
    ('database = "mysql://x/y"', "database: must start with sqlite:/// or postgresql+psycopg://"),
    ('[defaults]\nevery = "15 minutes"', "defaults.every: invalid duration '15 minutes'"),
    ('[defaults]\njitter = "-1s"', "defaults.jitter: invalid duration '-1s'"),
    ("[defaults]\njitter = -1", "defaults.jitter: duration must be 0 or more"),
    ("[defaults]\ntimeout = -5", "defaults.timeout: duration must be positive"),
    ('[defaults]\nevery = "1.5h"', "defaults.every: invalid duration '1.5h'"),
    ("[defaults]\nmax_bytes = 0", "defaults.max_bytes: Input should be greater than 0"),
    ('[defaults]\nalert_on_first_check = "maybe"', "defaults.alert_on_first_check: must be true"),
    ('[defaults]\nalert_on_first_check = "true"', "defaults.alert_on_first_check: must be true"),
    ('[defaults]\nmax_bytes = "5000000"', "defaults.max_bytes: must be a whole number"),
    ("[defaults]\nmax_bytes = 5e6", "defaults.max_bytes: must be a whole number"),
    (SOURCE + 'enabled = "yes"', "sources[0].enabled: must be true or false (a TOML boolean"),
    (SOURCE + "enabled = 1", "sources[0].enabled: must be true or false"),
    (SOURCE + 'alert_on_first_check = "no"', "sources[0].alert_on_first_check: must be true"),
    ('[outbox]\nmax_attempts = "3"', "outbox.max_attempts: must be a whole number"),
    ('[defaults]\nuser_agent = "a\\nb"', "defaults.user_agent: must not contain line breaks"),
    (
        '[[sources]]\nname = "bad name!"\nurl = "https://a.example/"',
        "sources[0].name: invalid name 'bad name!'",
    ),
    ('[[sources]]\nname = "s"\nurl = "ftp://a.example/"', "sources[0].url: URL must start with"),
    ('[[sources]]\nname = "s"\nurl = "https://"', "sources[0].url: invalid URL"),
    ('[[sources]]\nname = "s"\nurl = "https://a:99999/"', "sources[0].url: invalid port"),
    ('[[sources]]\nname = "s"', "sources[0].url: required"),
    ('[[sources]]\nurl = "https://a.example/"', "sources[0].name: required"),
    (SOURCE + 'every = "15 minutes"', "sources[0].every: invalid duration '15 minutes'"),
    (SOURCE + 'cron = "61 * * * *"', "sources[0].cron: invalid cron expression '61 * * * *'"),
    (SOURCE + 'cron = "* * * *"', "sources[0].cron: invalid cron expression '* * * *'"),
    (SOURCE + 'cron = "0 * * * *"\nevery = "1h"', "sources[0].cron: set either every or cron"),
    (SOURCE + 'selector = "div["', "sources[0].selector: invalid CSS selector 'div['"),
    (SOURCE + 'enabled = "nah"', "sources[0].enabled: must be true or false"),
    (SOURCE + 'alerts = "h"', "sources[0].alerts: Input should be a valid tuple"),
    ('sources = ["s"]', "sources[0]: Input should be"),
    ('[[alerts]]\nname = "h"\nurl = "https://h.example/"', "alerts[0]: missing 'type'"),
    ('[[alerts]]\nname = "h"\ntype = "sms"', "alerts[0]: unknown alert type 'sms'"),
    (WEBHOOK.replace("https://h", "h"), "alerts[0].url: URL must start with"),
    (WEBHOOK + 'timeout = "soon"', "alerts[0].timeout: invalid duration 'soon'"),
    (WEBHOOK + 'secret = "whsec_"', "alerts[0].secret: not a usable Standard Webhooks secret"),
    (WEBHOOK + 'headers = { "X-A" = "1\\r\\n2" }', "alerts[0].headers: header 'X-A': value"),
    (WEBHOOK + 'headers = { "Webhook-Id" = "1" }', "alerts[0].headers: header 'Webhook-Id' is set"),
    (WEBHOOK + 'headers = { "Bad Name" = "1" }', "alerts[0].headers: invalid header name"),
    (EMAIL + 'from = "a@example.org"\nto = []', "alerts[0].to: must not be empty"),
    (EMAIL + 'from = "a@b@c"\nto = ["b@example.org"]', "alerts[0].from: invalid email address"),
    (EMAIL + 'from = "a@example.org"\nto = ["b@x", "c@x\\r\\n"]', "alerts[0].to[1]: invalid email"),
    (EMAIL + 'to = ["b@example.org"]', "alerts[0].from: required"),
    (EMAIL_OK + 'starttls = "sometimes"', "alerts[0].starttls: Input should be 'require'"),
    (EMAIL_OK.replace("smtp://h.example", "http://h.example"), "alerts[0].smtp: SMTP URL must"),
    (EMAIL_OK.replace("smtp://h.example", "smtp://h:0x1"), "alerts[0].smtp: SMTP URL has an"),
    (EMAIL_OK + 'subject_prefix = "a\\nBcc: x@y"', "alerts[0].subject_prefix: must not contain"),
    ("[outbox]\nmax_attempts = 0", "outbox.max_attempts: Input should be greater than or equal"),
    ('[outbox]\nbackoff = "x"', "outbox.backoff: invalid duration 'x'"),
    ('[outbox]\ndrain_every = "0m"', "outbox.drain_every: duration must be positive"),
    ('[subjects]\naliases = { "kpa" = " " }', "subjects.aliases: empty alias"),
    ('[subjects]\naliases = { "kpa" = 3 }', "subjects.aliases.kpa: Input should be a valid string"),
    ('[sourcs]\nname = "x"', "sourcs: unknown key (did you mean 'sources'?)"),
    (SOURCE + 'evrey = "1h"', "sources[0].evrey: unknown key (did you mean 'every'?)"),
    (SOURCE + SOURCE, "sources[1].name: duplicate name 's' (also sources[0])"),
    (WEBHOOK + WEBHOOK, "alerts[1].name: duplicate name 'h' (also alerts[0])"),
    (SOURCE + 'alerts = ["h", "nope"]\n' + WEBHOOK, "sources[0].alerts[1]: unknown alert 'nope'"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_CASES)
def test_bad_value_names_its_path(tmp_path: Path, text: str, expected: str) -> None:
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_typo_key_is_named(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, '[defaults]\nevrey = "15m"\n')
    assert problems == ["defaults.evrey: unknown key (did you mean 'every'?)"]


def test_unknown_alert_reference(tmp_path: Path) -> None:
    text = SOURCE + SOURCE.replace('"s"', '"t"') + 'alerts = ["desk-hook"]\n' + WEBHOOK
    problems = problems_of(tmp_path, text)
    assert problems == ["sources[1].alerts[0]: unknown alert 'desk-hook' (known: h)"]


def test_four_problems_listed_at_once(tmp_path: Path) -> None:
    text = """
    [defaults]
    evrey = "15m"

    [[sources]]
    name = "a"
    url = "https://a.example/"
    every = "15 minutes"
    alerts = ["missing-channel"]

    [[sources]]
    name = "a"
    url = "https://b.example/"
    """
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env={})
    err = info.value
    assert err.problems == [
        "defaults.evrey: unknown key (did you mean 'every'?)",
        "sources[0].every: invalid duration '15 minutes' (use e.g. 90s, 15m, 1h, 1d)",
        "sources[0].alerts[0]: unknown alert 'missing-channel' (known: none defined)",
        "sources[1].name: duplicate name 'a' (also sources[0])",
    ]
    lines = str(err).splitlines()
    assert lines[0] == f"{tmp_path / 'figwatch.toml'}: 4 problems:"
    assert lines[1:] == [f"  {p}" for p in err.problems]


SECRET_TEXT = """
database = "postgresql+psycopg://fw:${PG_PASSWORD}@db.example/fw"
[defaults]
every = "soon"
[[sources]]
name = "s"
url = "ftp://example.org/feed?token=${FEED_TOKEN}"
[[alerts]]
name = "h"
type = "webhook"
url = "https://h.example/"
secret = "${FIGWATCH_WEBHOOK_SECRET}"
headers = { "Authorization" = "Bearer ${API_TOKEN}", "X-Broken" = "${API_TOKEN}\\n" }
[[alerts]]
name = "m"
type = "email"
smtp = "smtp://user:${SMTP_PASSWORD}@smtp.example.org:notaport"
from = "a@example.org"
to = ["b@example.org"]
"""
SECRET_ENV = ENV | {"PG_PASSWORD": "pg-pass-771", "FEED_TOKEN": "tok-9931", "API_TOKEN": "api-5512"}


def test_secrets_never_in_error_messages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, SECRET_TEXT), env=SECRET_ENV)
    message = str(info.value)
    assert "defaults.every" in message and "sources[0].url" in message
    assert "alerts[0].headers" in message and "alerts[1].smtp" in message
    for secret in ("pg-pass-771", "tok-9931", "api-5512", SMTP_PASSWORD, HOOK_SECRET):
        assert secret not in message


def test_bad_literal_secret_not_echoed(tmp_path: Path) -> None:
    text = (
        WEBHOOK
        + 'secret = "!!!"\n'
        + EMAIL_OK.replace("smtp://h.example", "smtp://u:literal-pw-123@h:bad")
    )
    problems = problems_of(tmp_path, text)
    assert [p.split(":")[0] for p in problems] == ["alerts[0].secret", "alerts[1].smtp"]
    assert "!!!" not in str(problems) and "literal-pw-123" not in str(problems)


def test_secrets_never_in_repr(tmp_path: Path) -> None:
    text = SECRET_TEXT.replace('"soon"', '"1h"').replace("ftp://", "https://")
    text = text.replace(":notaport", ":587").replace('\\n" }', '" }')
    cfg = load_config(write(tmp_path, text), env=SECRET_ENV)
    shown = repr(cfg) + str(cfg) + repr(cfg.alerts) + repr(cfg.alerts[1].server())  # type: ignore[union-attr]
    assert "fw:***@db.example" in shown
    for secret in ("pg-pass-771", "api-5512", SMTP_PASSWORD, HOOK_SECRET):
        assert secret not in shown


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, '[defaults]\nevery = "15m"\nuser_agent = \n')
    assert len(problems) == 1
    assert problems[0].startswith("TOML syntax error:") and "line 3" in problems[0]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert info.value.problems == ["file not found (use --config FILE or FIGWATCH_CONFIG)"]
    assert str(info.value).startswith(f"{path}: 1 problem:")


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read file"):
        load_config(tmp_path, env={})  # a directory
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[defaults]\nuser_agent = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad, env={})


def test_example_file_loads(tmp_path: Path) -> None:
    example = REPO_ROOT / "figwatch.example.toml"
    cfg = load_config(example, env=ENV)
    assert [s.name for s in cfg.sources] == ["babel-dprk", "ministry-daily"]
    assert [a.name for a in cfg.alerts] == ["desk-hook", "desk-mail"]
    assert cfg.schedule_for(cfg.sources[1]).alerts == ("desk-mail",)
    with pytest.raises(ConfigError) as info:
        load_config(example, env={})
    assert [p.split(":")[0] for p in info.value.problems] == ["alerts[0].secret", "alerts[1].smtp"]


def test_config_path_precedence() -> None:
    env = {"FIGWATCH_CONFIG": "/etc/figwatch.toml"}
    assert config_path("cli.toml", env) == Path("cli.toml")
    assert config_path(None, env) == Path("/etc/figwatch.toml")
    assert config_path(None, {}) == Path("figwatch.toml")
    assert config_path(None, {"FIGWATCH_CONFIG": ""}) == Path("figwatch.toml")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("90s", 90), ("15m", 900), ("1h", 3600), ("1d", 86400), ("1h30m", 5400), (45, 45),
     ("120", 120), (" 2H ", 7200), ("1d2h3m4s", 93784)],
)  # fmt: skip
def test_parse_duration(value: str | int, seconds: int) -> None:
    assert parse_duration(value) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "value", ["", "m", "1.5h", "15 minutes", "30m1h", "-5s", 0, -3, True, 1.5, "0s", None]
)
def test_parse_duration_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("smtp://user:pass@host:587", "smtp://user:***@host:587"),
        ("smtps://user@host", "smtps://***@host"),
        ("https://host/path", "https://host/path"),
        ("postgresql+psycopg://fw:p@ss/x@db:5432/fw", "postgresql+psycopg://fw:***@db:5432/fw"),
        ("not a url", "not a url"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_unset_var_in_alert_reference_reported_once(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, SOURCE + 'alerts = ["${CHANNEL}"]\n' + WEBHOOK, env={})
    assert problems == ["sources[0].alerts[0]: environment variable CHANNEL is not set"]


def test_secret_fields_of_wrong_type_not_echoed(tmp_path: Path) -> None:
    text = "database = 24681357\n" + WEBHOOK + "secret = 98765432\n"
    text += EMAIL_OK.replace('"smtp://h.example"', "31415926")
    problems = problems_of(tmp_path, text, env={})
    assert [p.split(":")[0] for p in problems] == ["database", "alerts[0].secret", "alerts[1].smtp"]
    for value in ("24681357", "98765432", "31415926"):
        assert value not in str(problems)


def test_allow_private_global_and_per_source(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text(
        "[fetch]\nallow_private = true\n"
        '[[sources]]\nname = "a"\nurl = "http://a.example/"\n'
        '[[sources]]\nname = "b"\nurl = "http://b.example/"\nallow_private = false\n'
    )
    cfg = load_config(path, env={})
    assert [cfg.schedule_for(s).allow_private for s in cfg.sources] == [True, False]
    path.write_text('[[sources]]\nname = "a"\nurl = "http://a.example/"\n')
    cfg = load_config(path, env={})
    assert not cfg.fetch.allow_private and not cfg.schedule_for(cfg.sources[0]).allow_private
    path.write_text(
        '[fetch]\nallow_private = "yes"\nallow = 1\n'
        '[[sources]]\nname = "a"\nurl = "http://a.example/"\nallow_private = "no"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert [p.split(":")[0] for p in info.value.problems] == [
        "fetch.allow_private", "fetch.allow", "sources[0].allow_private",
    ]  # fmt: skip


def test_zero_jitter_is_valid_and_means_none(tmp_path: Path) -> None:
    from pipeline.service import trigger_for

    cfg = load_config(write(tmp_path, '[defaults]\njitter = "0s"\n' + SOURCE), env={})
    assert cfg.defaults.jitter == timedelta(0)
    assert trigger_for(cfg, cfg.sources[0]).jitter is None


def test_without_alerts_their_variables_are_not_needed_and_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    with pytest.raises(ConfigError):
        load_config(path, env={})  # a command that alerts needs them
    cfg = load_config(path, env={}, alerts=False)
    assert cfg.alerts == () and len(cfg.sources) == 3
    # Every other problem, alerts' included, is still reported.
    problems = problems_of(tmp_path, WEBHOOK.replace("https://h", "h") + 'secret = "${NOPE}"\n')
    assert len(problems) == 2
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, WEBHOOK.replace("https://h", "h") + 'secret = "${NOPE}"\n'),
                    env={}, alerts=False)  # fmt: skip
    assert [p.split(":")[0] for p in info.value.problems] == ["alerts[0].url"]


def test_a_bad_url_is_shown_without_its_secrets(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "s"\nurl = "ftp://u:pw-77@a.example/x?id=5&token=tok-88"\n'
    [problem] = problems_of(tmp_path, text)
    assert "ftp://u:***@a.example/x?id=5&token=***" in problem
    assert "pw-77" not in problem and "tok-88" not in problem
