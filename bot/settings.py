"""Settings from the environment and ``.env``, validated once in the entry point.

Built with pydantic-settings so a bad value is reported at start-up in one clear line. Nothing
here is read at import time: call ``load_settings()`` from an entry point and pass the result down.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index import (
    MAX_TOP,
    SUMMARY_DEFAULT_LENGTH,
    SUMMARY_MAX_LENGTH,
    SUMMARY_MIN_LENGTH,
    Embedder,
    SettingsError,
    check_semantic,
    shared_embedder,
)
from index import AnswerPolicy as _Policy

# The defaults and bounds are the core's, read once here (not repeated as numbers).
_DEFAULT = _Policy()


ENV_FILE = ".env"
DISCORD_API_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"
# A bot token is three base64url parts: user id, timestamp, signature. Checked for shape only,
# so a pasted client secret or a quoted value fails at start-up rather than at login.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
_ID_NOUNS = {"channel_ids": "channel ids", "admin_ids": "user or server ids"}
_SECURE_SCHEMES = {"api": ("https", "http"), "gateway": ("wss", "ws")}


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
        env_file=ENV_FILE,
        # utf-8-sig: a BOM (Notepad's "UTF-8 with BOM") would otherwise glue itself to the first
        # name, and that setting would be silently ignored.
        env_file_encoding="utf-8-sig",
        env_ignore_empty=True,
        extra="ignore",
    )

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    corpus_dir: Path = Field(default_factory=shipped_corpus_dir)
    index_dir: Path | None = None
    top_k: int = Field(default=_DEFAULT.top, ge=1, le=MAX_TOP)
    relative_floor: float = Field(default=_DEFAULT.relative_floor, ge=0.0, le=1.0)
    min_coverage: float = Field(default=_DEFAULT.min_coverage, ge=0.0, le=1.0)
    summary_length: int = Field(
        default=SUMMARY_DEFAULT_LENGTH, ge=SUMMARY_MIN_LENGTH, le=SUMMARY_MAX_LENGTH
    )
    log_level: str = Field(default="WARNING", pattern=r"(?i)^(DEBUG|INFO|WARNING|ERROR)$")
    guild_id: int | None = Field(default=None, gt=0)
    channel_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    reload_cooldown_seconds: float = Field(default=120.0, ge=0)
    watch: bool = True
    max_question_length: int = Field(default=500, ge=1, le=4000)
    cooldown_questions: int = Field(default=5, ge=0)
    cooldown_seconds: float = Field(default=30.0, gt=0)
    feeds: Annotated[tuple[str, ...], NoDecode] = ()
    feed_interval: float = Field(default=30.0, gt=0)  # minutes
    fetch_delay: float = Field(default=1.0, ge=0)  # seconds between two requests to one host
    fetch_timeout: float = Field(default=15.0, gt=0, le=300)  # seconds
    import_private_hosts: bool = False  # may /import fetch from this machine or private networks
    startup_retry_seconds: float = Field(default=30.0, ge=0, le=600)
    discord_api_url: str = DISCORD_API_URL
    discord_gateway_url: str = DISCORD_GATEWAY_URL
    data_dir: Path = Path(".verbatim-data")
    hash_key: SecretStr | None = Field(default=None, min_length=16)
    retention_days: int = Field(default=30, ge=1, le=3650)
    database_url: SecretStr | None = None
    guilds_dir: Path | None = None
    max_loaded_corpora: int = Field(default=32, ge=1, le=10_000)
    threads: bool = False
    shard_count: int | None = Field(default=None, ge=1, le=100_000)
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    followup_minutes: float = Field(default=30.0, ge=0, le=7 * 24 * 60)
    # The semantic extra (pip install 'verbatim[semantic]'): sentence meaning in the ranking.
    semantic: bool = False

    @field_validator("discord_token")
    @classmethod
    def _token_shape(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and not _TOKEN_SHAPE.fullmatch(token.get_secret_value()):
            raise ValueError(
                "does not look like a bot token (three dot-separated parts); copy it again "
                "from the Developer Portal, Bot page, without quotes or the word 'Bot'"
            )
        return token

    @field_validator("channel_ids", "admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object, info: ValidationInfo) -> object:
        """Accept ``123,456`` (or spaces) from the environment as well as a list."""
        if isinstance(value, str):
            parts = [part for part in re.split(r"[\s,]+", value) if part]
            if not all(part.isdigit() for part in parts):
                noun = _ID_NOUNS.get(info.field_name or "", "ids")
                raise ValueError(f"must be {noun} (numbers) separated by commas")
            return [int(part) for part in parts]
        return value

    @field_validator("channel_ids", "admin_ids")
    @classmethod
    def _positive_ids(cls, ids: frozenset[int]) -> frozenset[int]:
        if any(some_id <= 0 for some_id in ids):
            raise ValueError("ids are positive numbers")
        return ids

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ranges(cls, value: object) -> object:
        """Accept ``0-3``, ``4,6`` or ``0-1,5`` from the environment."""
        if not isinstance(value, str):
            return value
        ids: set[int] = set()
        for part in (p.strip() for p in value.split(",")):
            match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
            if match is None or (match[2] is not None and int(match[2]) < int(match[1])):
                raise ValueError("must be shard ids or ranges, e.g. 0-3 or 0,2")
            ids.update(range(int(match[1]), int(match[2] or match[1]) + 1))
        return tuple(sorted(ids))

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("VERBATIM_SHARD_IDS needs VERBATIM_SHARD_COUNT")
            if not self.shard_ids or max(self.shard_ids) >= self.shard_count:
                raise ValueError(
                    f"VERBATIM_SHARD_IDS must lie from 0 to {self.shard_count - 1} "
                    "(VERBATIM_SHARD_COUNT - 1)"
                )
        return self

    @field_validator("semantic")
    @classmethod
    def _semantic_installed(cls, on: bool) -> bool:
        if on:
            try:
                check_semantic()
            except SettingsError as exc:
                raise ValueError(str(exc).removeprefix("VERBATIM_SEMANTIC is on but ")) from None
        return on

    def embedder(self) -> Embedder | None:
        """The sentence embedder when the semantic extra is on (its model loads on first use)."""
        return shared_embedder() if self.semantic else None

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None

    @field_validator("feeds", mode="before")
    @classmethod
    def _split_feeds(cls, value: object) -> object:
        """``https://a/rss,https://b/atom`` from the environment, or a list."""
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,]+", value) if part]
        return value

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, feeds: tuple[str, ...]) -> tuple[str, ...]:
        for url in feeds:
            check_feed_url(url)
        return feeds

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, url: SecretStr | None) -> SecretStr | None:
        if url is not None and urlsplit(url.get_secret_value()).scheme not in (
            "postgresql",
            "postgres",
        ):
            raise ValueError("must be a postgresql:// URL (unset: SQLite in VERBATIM_DATA_DIR)")
        return url

    @field_validator("discord_api_url")
    @classmethod
    def _api_url(cls, url: str) -> str:
        return check_endpoint(url, *_SECURE_SCHEMES["api"])

    @field_validator("discord_gateway_url")
    @classmethod
    def _gateway_url(cls, url: str) -> str:
        return check_endpoint(url, *_SECURE_SCHEMES["gateway"])

    @property
    def shipped_corpus(self) -> bool:
        """True when the corpus is the sample shipped with Verbatim (never a place to save into)."""
        return self.corpus_dir.resolve() == shipped_corpus_dir().resolve()

    def answer_policy(self, top: int | None = None) -> _Policy:
        """The answer policy these settings describe, shared by the CLI, the shell and the bot.

        ``top`` overrides ``top_k`` (the CLI's ``--top``); the pool leaves room for "More answers".
        """
        top = self.top_k if top is None else top
        return _Policy(
            top=top,
            relative_floor=self.relative_floor,
            min_coverage=self.min_coverage,
            pool=max(10, top),
        )


def check_endpoint(url: str, secure: str, plain: str) -> str:
    """Allow ``secure://`` anywhere and ``plain://`` only to this machine (a local proxy)."""
    parts = urlsplit(url)
    if parts.scheme not in (secure, plain) or not parts.hostname:
        raise ValueError(f"must be a {secure}:// URL (or {plain}:// to a loopback host)")
    if parts.scheme == plain and not is_loopback(parts.hostname):
        raise ValueError(f"{plain}:// is only allowed to a loopback host; use {secure}://")
    return url


def check_feed_url(url: str) -> str:
    """A feed is an absolute http(s) URL; raises ``ValueError`` saying so."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"feed {url[:80]!r} is not an http:// or https:// URL")
    return url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment and ``.env``, turning validation errors into one line."""
    env_file = overrides.get("_env_file", ENV_FILE)
    if isinstance(env_file, str | Path):
        check_env_file(Path(env_file))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            (f"{_setting_name(error['loc'])}: " if error["loc"] else "")
            + error["msg"].removeprefix("Value error, ")
            for error in exc.errors()
        )
        raise SettingsError(f"invalid setting: {problems}") from None


def check_env_file(path: Path) -> None:
    """Raise ``SettingsError`` naming ``path`` when it is not UTF-8 text (a BOM is fine).

    Windows Notepad and PowerShell's ``>`` save UTF-16: say so, rather than a decode traceback.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise SettingsError(
            f"{path} is saved as UTF-16 (Notepad or PowerShell?); save it again as UTF-8"
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{path} is not UTF-8 text (bad byte at offset {exc.start}); save it again as UTF-8"
        ) from None


def _setting_name(location: tuple[int | str, ...]) -> str:
    name = str(location[0]) if location else "?"
    return name if name.isupper() else f"VERBATIM_{name.upper()}"
