"""migrate() on a database already at the newest migration reads one row and loads no alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from storage.db import alembic_config, head_revision, make_engine, migrate


def test_head_revision_is_alembics_head(engine: Engine) -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def test_a_database_at_head_is_not_migrated_again_and_alembic_is_not_loaded(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'fw.db'}"
    migrate(make_engine(url))
    probe = (
        "import sys; from storage.db import make_engine, migrate; "
        f"migrate(make_engine({url!r})); print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_a_database_behind_head_is_still_migrated(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'fw.db'}")
    migrate(engine)
    command.downgrade(alembic_config(engine), "0001")
    migrate(engine)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()
