"""The service layer: one set of bounds, read from the core, for every front end."""

from __future__ import annotations

import pytest

from bot import service
from bot.settings import Settings
from index import (
    MAX_TOP,
    SUMMARY_MAX_LENGTH,
    SUMMARY_MIN_LENGTH,
    AnswerPolicy,
    CorpusIndex,
    UsageError,
    answer_question,
)


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_settings_defaults_are_the_cores() -> None:
    core = AnswerPolicy()
    made = settings()
    assert (made.top_k, made.relative_floor, made.min_coverage) == (
        core.top,
        core.relative_floor,
        core.min_coverage,
    )


@pytest.mark.parametrize("top", [0, MAX_TOP + 1, -3])
def test_top_outside_the_bound_is_a_usage_error(top: int) -> None:
    with pytest.raises(UsageError, match=f"top must be a whole number from 1 to {MAX_TOP}"):
        service.policy(settings(), top)


@pytest.mark.parametrize("top", [1, MAX_TOP])
def test_top_at_the_bound_is_accepted(top: int) -> None:
    assert service.policy(settings(), top).top == top


def test_ask_is_the_cores_answer(shipped_index: CorpusIndex) -> None:
    policy = service.policy(settings(), 2)
    question = "Who was killed in Moscow?"
    assert service.ask(shipped_index, question, policy) == answer_question(
        shipped_index, question, policy
    )


@pytest.mark.parametrize("length", [SUMMARY_MIN_LENGTH - 1, SUMMARY_MAX_LENGTH + 1])
def test_summary_length_outside_the_bound_is_a_usage_error(
    shipped_index: CorpusIndex, length: int
) -> None:
    with pytest.raises(UsageError, match="length must be a whole number"):
        service.summary(shipped_index, settings(), length=length)


def test_summary_length_defaults_to_the_setting(shipped_index: CorpusIndex) -> None:
    made = Settings(_env_file=None, summary_length=SUMMARY_MIN_LENGTH)  # type: ignore[call-arg]
    assert len(service.summary(shipped_index, made).items) == SUMMARY_MIN_LENGTH


def test_topics_limit_zero_is_a_usage_error_not_an_empty_list(shipped_index: CorpusIndex) -> None:
    with pytest.raises(UsageError, match="limit must be a whole number from 1"):
        service.topics(shipped_index, 0)
    assert len(service.topics(shipped_index, 2)) == 2
