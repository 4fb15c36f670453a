"""Alembic environment: migrate the database in the Alembic config, else the configured SPBE database."""

from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

import spbe.store.models  # noqa: F401 - registers the tables on SQLModel.metadata
from spbe.config import get_settings
from spbe.store.db import prepare_url

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write spbe's column types as the plain SQLAlchemy types they store, so migrations never import spbe."""
    if type_ == "type" and isinstance(obj, sa.TypeDecorator) and type(obj).__module__ == "spbe.store.models":
        return f"sa.{obj.impl!r}"
    return False


url = prepare_url(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
options: dict[str, Any] = {
    "target_metadata": SQLModel.metadata,
    "render_as_batch": True,  # SQLite can only change a table by rebuilding it
    "compare_type": True,
    "render_item": render_item,
}

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **options)
    with context.begin_transaction():
        context.run_migrations()
else:
    # A bare engine on purpose: without spbe.db's foreign-key pragma, a SQLite batch rebuild (which
    # drops and recreates a table) cannot cascade-delete the rows of child tables.
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
