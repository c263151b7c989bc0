"""``verbatim report`` before the bot recorded anything, and its bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli_run import clean_environment, verbatim


def test_a_report_with_no_store_yet_is_zeros_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    clean_environment(monkeypatch, tmp_path)
    monkeypatch.setenv("VERBATIM_DATA_DIR", str(tmp_path / "data"))
    result = verbatim(capsysbinary, "report", "--json", "--since", "24h")
    assert result.code == 0, result
    report = json.loads(result.stdout)
    # 24 hours reach back into yesterday: two days, both empty.
    assert (report["asked"], report["top_not_covered"], len(report["days"])) == (0, [], 2)
    assert not (tmp_path / "data").exists()
    text = verbatim(capsysbinary, "report")
    assert text.code == 0 and "(all servers): 0" in text.stdout


@pytest.mark.parametrize("args", [["--since", "soon"], ["--since", "0d"], ["--guild", "abc"]])
def test_bad_report_options_are_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    args: list[str],
) -> None:
    clean_environment(monkeypatch, tmp_path)
    from bot.cli.main import main

    with pytest.raises(SystemExit) as stopped:  # argparse's own exit for a bad option
        main(["report", *args])
    err = capsysbinary.readouterr().err.decode()
    assert stopped.value.code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("verbatim report: error: argument")
