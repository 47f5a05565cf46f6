"""Shared test set-up: a fixed installation secret, so no test writes to the user's config."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("SPILLGUARD_SECRET", "test-secret-not-for-production")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
