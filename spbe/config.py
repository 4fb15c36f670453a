"""Settings from the environment (prefix SPBE_): where data lives, which database, upload limits, secrets."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal, Self

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from spbe.resources import data_root, is_checkout

DEV_SECRET_KEY = "dev-only-insecure-secret-key"


def default_data_dir() -> Path:
    """data/ in the checkout when running from one (make run); otherwise the user's data folder (platformdirs)."""
    return data_root() / "data" if is_checkout() else Path(user_data_dir("spbe"))


class Settings(BaseSettings):
    """Deployment settings; every field can be set as SPBE_<FIELD> in the environment."""

    model_config = SettingsConfigDict(env_prefix="SPBE_")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Field(default_factory=default_data_dir)
    evidence_dir: Path = Field(default_factory=lambda data: data["data_dir"] / "evidence")
    database_url: str = Field(default_factory=lambda data: f"sqlite:///{data['data_dir'] / 'spbe.db'}")
    max_upload_mb: int = Field(default=50, gt=0)
    db_pool_size: int = Field(default=16, gt=0)
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    rubric_dir: Path | None = None

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> Self:
        """Refuse to run production with the published development secret."""
        if self.env == "production" and self.secret_key.get_secret_value() == DEV_SECRET_KEY:
            raise ValueError("SPBE_SECRET_KEY must be set to a private value when SPBE_ENV=production")
        return self


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read once; tests call get_settings.cache_clear() after changing env."""
    return Settings()
