"""Settings from the environment and ``.env``, validated once in the entry point.

Built with pydantic-settings so a bad value is reported at start-up in one clear line. Nothing
here is read at import time: call ``load_settings()`` from an entry point and pass the result down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.errors import VerbatimError


def shipped_corpus_dir() -> Path:
    """The embedded default corpus: ``seeds/`` in a source checkout, ``index/seeds`` in a wheel."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "seeds", package_dir / "index" / "seeds"):
        if candidate.is_dir():
            return candidate
    return package_dir / "seeds"


class Settings(BaseSettings):
    """Every setting Verbatim reads; ``.env.example`` documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="VERBATIM_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
    )

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    corpus_dir: Path = Field(default_factory=shipped_corpus_dir)
    index_dir: Path | None = None
    top_k: int = Field(default=3, ge=1, le=10)
    relative_floor: float = Field(default=0.5, ge=0.0, le=1.0)
    min_coverage: float = Field(default=0.5, ge=0.0, le=1.0)
    log_level: str = Field(default="WARNING", pattern=r"(?i)^(DEBUG|INFO|WARNING|ERROR)$")


class SettingsError(VerbatimError):
    """A setting is invalid; the message names it and says what is wrong, never its value."""


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment and ``.env``, turning validation errors into one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{_setting_name(error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"invalid setting: {problems}") from None


def _setting_name(location: tuple[int | str, ...]) -> str:
    name = str(location[0]) if location else "?"
    return name if name.isupper() else f"VERBATIM_{name.upper()}"
