"""Settings come from SPBE_* environment variables with safe defaults under the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from spbe.config import Settings, get_settings
from spbe.resources import data_root


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATA_DIR", "EVIDENCE_DIR", "DATABASE_URL", "ENV", "SECRET_KEY", "MAX_UPLOAD_MB"):
        monkeypatch.delenv(f"SPBE_{name}", raising=False)


def test_defaults_keep_everything_in_the_repository_data_folder() -> None:
    settings = Settings()
    assert settings.data_dir == data_root() / "data"
    assert settings.evidence_dir == data_root() / "data" / "evidence"
    assert settings.database_url == f"sqlite:///{data_root() / 'data' / 'spbe.db'}"
    assert (settings.env, settings.max_upload_mb) == ("development", 50)


def test_the_database_and_evidence_follow_a_moved_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPBE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SPBE_MAX_UPLOAD_MB", "10")
    settings = Settings()
    assert settings.evidence_dir == tmp_path / "evidence"
    assert settings.database_url == f"sqlite:///{tmp_path / 'spbe.db'}"
    assert settings.max_upload_mb == 10


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPBE_ENV", "production")
    with pytest.raises(ValidationError, match="SPBE_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("SPBE_SECRET_KEY", "a-private-production-secret")
    assert Settings().secret_key.get_secret_value() == "a-private-production-secret"


def test_get_settings_is_read_once_until_the_cache_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    first = get_settings()
    monkeypatch.setenv("SPBE_MAX_UPLOAD_MB", "7")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().max_upload_mb == 7
    get_settings.cache_clear()
