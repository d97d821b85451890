"""The files a deployment uses: the compose config loads, and compose wires it in."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pipeline.config import load_config

REPO = Path(__file__).resolve().parents[1]


def test_compose_config_loads_and_sends_mail_to_mailpit() -> None:
    config = load_config(REPO / "docker" / "figwatch.toml", env={})
    assert config.database == "sqlite:////data/figwatch.db"
    [mail] = config.alerts
    assert mail.type == "email" and "mailpit:1025" in mail.smtp.get_secret_value()
    assert config.sources and config.defaults.alert_on_first_check


def test_compose_mounts_that_config_and_a_data_volume() -> None:
    compose = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    assert "./docker/figwatch.toml:/config/figwatch.toml:ro" in compose
    assert re.search(r"figwatch-data:/data\b", compose)
    assert "axllent/mailpit" in compose
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["figwatch"]' in dockerfile and 'CMD ["run"]' in dockerfile


def test_the_image_installs_the_postgresql_driver() -> None:
    """The image runs on SQLite and on PostgreSQL: it installs figwatch with its postgres extra,
    and that extra brings psycopg, the driver `postgresql+psycopg://` needs."""
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    installs = [line for line in dockerfile.splitlines() if re.match(r"RUN\s+pip install\b", line)]
    assert installs and all(re.search(r"""["']?\.\[postgres\]["']?""", i) for i in installs)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["postgres"]
    assert any(req.startswith("psycopg") for req in extra)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install 'figwatch[postgres]'" in readme


def test_cluster_compose_runs_three_replicas_on_postgresql_with_mailpit() -> None:
    config = load_config(
        REPO / "docker" / "figwatch-cluster.toml", env={"FIGWATCH_DB_PASSWORD": "figwatch"}
    )
    assert config.database.startswith("postgresql+psycopg://figwatch:figwatch@postgres:5432/")
    [mail] = config.alerts
    assert "mailpit:1025" in mail.smtp.get_secret_value()
    compose = (REPO / "docker-compose.cluster.yml").read_text(encoding="utf-8")
    assert "./docker/figwatch-cluster.toml:/config/figwatch.toml:ro" in compose
    assert re.search(r"image: postgres:\d+", compose) and "axllent/mailpit" in compose
    assert re.search(r"replicas: 3\b", compose)
    assert "condition: service_healthy" in compose  # replicas wait for the database
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["postgres"]
    assert any(req.startswith("procrastinate") for req in extra)
