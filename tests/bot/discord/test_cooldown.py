from __future__ import annotations

from bot.discord.cooldown import FORGET_AT, Cooldown


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_rate_per_window_then_says_when_to_retry() -> None:
    clock = Clock()
    cooldown = Cooldown(2, 30.0, clock)
    assert cooldown.check(1).allowed and cooldown.check(1).allowed
    clock.now += 10
    refused = cooldown.check(1)
    assert not refused.allowed and refused.retry_after == 20.0 and refused.first_refusal
    again = cooldown.check(1)
    assert not again.allowed and not again.first_refusal  # told once, then quiet
    assert cooldown.check(2).allowed  # other users are not affected
    clock.now += 20
    assert cooldown.check(1).allowed


def test_a_new_refusal_window_is_announced_again() -> None:
    clock = Clock()
    cooldown = Cooldown(1, 10.0, clock)
    assert cooldown.check(7).allowed
    assert cooldown.check(7).first_refusal
    clock.now += 10
    assert cooldown.check(7).allowed
    assert cooldown.check(7).first_refusal


def test_rate_zero_turns_it_off() -> None:
    cooldown = Cooldown(0, 10.0, Clock())
    assert all(cooldown.check(1).allowed for _ in range(100))


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    cooldown = Cooldown(1, 5.0, clock)
    for user in range(2000):
        cooldown.check(user)
    assert cooldown.tracked_users == 2000
    clock.now += 6
    cooldown.check(99999)
    assert cooldown.tracked_users == 1  # only the user who just asked


def test_refused_users_who_never_return_are_forgotten_too() -> None:
    clock = Clock()
    cooldown = Cooldown(1, 5.0, clock)
    for user in range(FORGET_AT):
        assert cooldown.check(user).allowed
        assert cooldown.check(user).first_refusal  # each told once, then never seen again
    clock.now += 6
    assert cooldown.check(99999).allowed
    assert cooldown.tracked_users == 1


def test_active_users_are_kept_when_idle_ones_are_dropped() -> None:
    clock = Clock()
    cooldown = Cooldown(1, 5.0, clock)
    for user in range(FORGET_AT):
        cooldown.check(user)
    clock.now += 6
    assert cooldown.check(5).allowed  # user 5 asks again: active, kept with its window
    refused = cooldown.check(5)
    assert not refused.allowed and refused.first_refusal and cooldown.tracked_users == 1
