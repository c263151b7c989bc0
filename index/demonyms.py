"""Demonyms folded onto their place: "Korean" matches "Korea", "Victorian" matches "Victoria".

News questions and articles switch freely between the two ("North Korean troops" / "troops from
North Korea"). A rule covers the regular "-ian"/"-ean"/"-can" forms on the stem (russian → russia,
korean → korea, african → africa); a table covers the irregular ones. Both sides of the index go
through the same analyzer, so a fold that also catches an unrelated word ("christian" → "christia")
is harmless: every form of that word folds the same way.
"""

from __future__ import annotations

# demonym -> place, as plain words (stemmed by the analyzer at start-up).
IRREGULAR: dict[str, str] = {
    "afghan": "afghanistan",
    "british": "britain",
    "canadian": "canada",
    "chinese": "china",
    "danish": "denmark",
    "dutch": "netherlands",
    "egyptian": "egypt",
    "english": "england",
    "european": "europe",
    "filipino": "philippines",
    "finnish": "finland",
    "french": "france",
    "german": "germany",
    "greek": "greece",
    "iranian": "iran",
    "iraqi": "iraq",
    "irish": "ireland",
    "israeli": "israel",
    "italian": "italy",
    "japanese": "japan",
    "mexican": "mexico",
    "norwegian": "norway",
    "pakistani": "pakistan",
    "scottish": "scotland",
    "spanish": "spain",
    "swedish": "sweden",
    "swiss": "switzerland",
    "syrian": "syria",
    "turkish": "turkey",
    "ukrainian": "ukraine",
    "vietnamese": "vietnam",
    "welsh": "wales",
}

_REGULAR_ENDINGS = ("ian", "ean", "can")


def fold_stem(stem: str, irregular: dict[str, str]) -> str:
    """The place a demonym stem names, else the stem unchanged.

    ``irregular`` maps stems to stems (built once by the analyzer from ``IRREGULAR``).
    """
    if stem in irregular:
        return irregular[stem]
    if len(stem) > 5 and stem.endswith(_REGULAR_ENDINGS):
        return stem[:-1]
    return stem
