"""The bot's settings: one clear line per bad value, never the token itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.settings import DISCORD_API_URL, Settings, load_settings
from index import SettingsError
from tests.conftest import ROOT

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GabcDE.abcdefghijklmnopqrstuvwxyz0123"


def settings(**values: Any) -> Settings:
    return load_settings(_env_file=None, **values)


def test_defaults_point_at_discord() -> None:
    s = settings()
    assert s.discord_api_url == DISCORD_API_URL and s.discord_gateway_url.startswith("wss://")
    assert s.channel_ids == frozenset() and s.guild_id is None and s.max_question_length == 500


def test_token_is_secret_in_repr_and_str() -> None:
    s = settings(discord_token=TOKEN)
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    assert s.discord_token is not None and s.discord_token.get_secret_value() == TOKEN


@pytest.mark.parametrize("bad", ["short", "Bot " + TOKEN, f'"{TOKEN}"', TOKEN + ".x"])
def test_malformed_token_is_named_but_never_echoed(bad: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings(discord_token=bad)
    message = str(caught.value)
    assert message.startswith("invalid setting: DISCORD_TOKEN: does not look like a bot token")
    assert bad not in message and TOKEN not in message and "\n" not in message


def test_channel_ids_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERBATIM_CHANNEL_IDS", "123, 456,789")
    assert settings().channel_ids == {123, 456, 789}


def test_admin_ids_from_a_comma_list_and_none_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().admin_ids == frozenset()  # by default only the application's owner
    monkeypatch.setenv("VERBATIM_ADMIN_IDS", "123, 456")
    assert settings().admin_ids == {123, 456}


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("VERBATIM_CHANNEL_IDS", "123,general", "VERBATIM_CHANNEL_IDS: must be channel ids"),
        ("VERBATIM_ADMIN_IDS", "123,@me", "VERBATIM_ADMIN_IDS: must be user or server ids"),
        ("VERBATIM_RELOAD_COOLDOWN_SECONDS", "-1", "VERBATIM_RELOAD_COOLDOWN_SECONDS"),
        ("VERBATIM_GUILD_ID", "my-server", "VERBATIM_GUILD_ID: Input should be a valid integer"),
        ("VERBATIM_DISCORD_API_URL", "ftp://x.org", "VERBATIM_DISCORD_API_URL: must be a https"),
        ("VERBATIM_DISCORD_API_URL", "http://proxy.example.org/api/v10", "only allowed to a loop"),
        ("VERBATIM_DISCORD_GATEWAY_URL", "ws://10.0.0.5:7878", "only allowed to a loopback"),
        ("VERBATIM_COOLDOWN_SECONDS", "0", "VERBATIM_COOLDOWN_SECONDS"),
    ],
)
def test_bad_values_are_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, needle: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        settings()
    assert needle in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("api", "gateway"),
    [
        ("http://127.0.0.1:8080/api/v10", "ws://127.0.0.1:7878/"),
        ("http://localhost/api/v10", "ws://[::1]:7878"),
        ("https://proxy.example.org/api/v10", "wss://gateway.example.org/"),
    ],
)
def test_proxies_accepted(api: str, gateway: str) -> None:
    s = settings(discord_api_url=api, discord_gateway_url=gateway)
    assert (s.discord_api_url, s.discord_gateway_url) == (api, gateway)


def test_env_example_documents_and_loads_every_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        env_name = field.validation_alias or f"VERBATIM_{name.upper()}"
        assert f"{env_name}=" in example, f"{env_name} is not in .env.example"
    uncommented = "\n".join(
        line.removeprefix("# ") if "_URL=" in line or "_IDS=" in line or "_ID=" in line else line
        for line in example.splitlines()
    )
    (tmp_path / ".env").write_text(uncommented, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = Settings(corpus_dir=ROOT / "seeds")
    assert loaded.discord_token is None and len(loaded.channel_ids) == 2
    assert loaded.guild_id == 123456789012345678


def test_answer_policy_follows_the_settings_and_the_cli_override() -> None:
    from bot.settings import Settings

    settings = Settings(_env_file=None, top_k=4, relative_floor=0.25, min_coverage=0.6)  # type: ignore[call-arg]
    policy = settings.answer_policy()
    assert (policy.top, policy.relative_floor, policy.min_coverage) == (4, 0.25, 0.6)
    assert settings.answer_policy(top=10).top == 10 and settings.answer_policy(top=10).pool == 10
