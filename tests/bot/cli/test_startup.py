"""A one-shot ``verbatim ask`` on a current index loads what answering needs, and no more."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.support.builders import write_article
from tests.support.cli_run import script_in_a_fresh_process

# What an ask on a current index never needs: the Discord side, the rebuild (builder, splice,
# the parallel workers, the loader), the summaries' work, the live reload, the speller's
# rapidfuzz (no unknown word asked), numpy.ma (np.unique's first call) and the semantic extra.
UNNEEDED = (
    "discord",
    "aiohttp",
    "bot.discord",
    "bot.store",
    "index.storage.builder",
    "index.storage.splice",
    "index.storage.parallel",
    "index.retrieval.delta",
    "index.ingest.loader",
    "index.live",
    "index.summaries.summarizer",
    "index.summaries.topics",
    "rapidfuzz",
    "numpy.ma",
    "torch",
    "wordfreq",
    "tqdm",
)
# Run in a fresh interpreter, every folder counting as settled (``index.storage.listing``).
ASK = (
    "import sys\n"
    "import index.storage.listing\n"
    "index.storage.listing.SETTLE_NS = -(10**15)\n"
    "from bot.cli.main import main\n"
    "code = main(['ask', '--corpus', sys.argv[1], 'Who signed the treaty?'])\n"
    "print(code, ' '.join(sorted(sys.modules)))\n"
)


def ask(corpus: Path, index_dir: Path) -> tuple[str, list[str]]:
    *answer, last = script_in_a_fresh_process(ASK, corpus, index_dir, ROOT)
    code, modules = last.split(" ", 1)
    assert code == "0"
    return "\n".join(answer), modules.split()


def test_an_ask_on_a_current_index_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "treaty.txt", "Treaty", ["Ministers signed the treaty in Vienna."])
    built, _ = ask(corpus, tmp_path / "idx")  # builds the index
    walked, _ = ask(corpus, tmp_path / "idx")  # walks the corpus, keeps the folders' stamps
    answer, modules = ask(corpus, tmp_path / "idx")
    assert "Ministers signed the treaty" in answer and answer == built == walked
    loaded = [m for m in modules if m in UNNEEDED or m.startswith(tuple(f"{u}." for u in UNNEEDED))]
    assert loaded == []
    assert "index.storage.opener" in modules  # the list is the process's own
