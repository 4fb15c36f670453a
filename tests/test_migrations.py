"""The one migration history builds exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import spbe.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from spbe.store.db import alembic_config, make_engine, upgrade


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrading_an_empty_database_to_head_matches_the_models_exactly(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, SQLModel.metadata) == []
            head = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
            assert [context.get_current_revision()] == head
    finally:
        engine.dispose()


def test_downgrading_to_base_removes_every_table_and_upgrading_again_restores_them(database_url: str) -> None:
    upgrade(database_url)
    command.downgrade(alembic_config(database_url), "base")
    assert _tables(database_url) == set()
    upgrade(database_url)
    assert _tables(database_url) == set(SQLModel.metadata.tables)
