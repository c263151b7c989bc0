"""English stopwords: the widely used NLTK list, plus question words and a few contraction stems.

Not "won": NLTK lists it for "won't", which the tokenizer keeps whole ("wont"); alone it is the
verb of every election and match report ("Who won the vote?").

Kept here as data (not downloaded at run time) so the bot starts offline. Question words are
stopwords for matching; question *type* is a separate signal.
"""

from __future__ import annotations

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren arent as at be because been
    before being below between both but by can cannot could couldn couldnt d did didn didnt do
    does doesn doesnt doing don dont down during each few for from further had hadn hadnt has
    hasn hasnt have haven havent having he her here hers herself him himself his how i if in into
    is isn isnt it its itself just ll m ma me mightn mightnt more most mustn mustnt my myself
    needn neednt no nor not now o of off on once only or other our ours ourselves out over own re
    s same shan shant she should shouldn shouldnt so some such t than that thats the their theirs
    them themselves then there these they this those through to too under until up ve very was
    wasn wasnt we were weren werent what when where which while who whom why will with wont
    wouldn wouldnt y you your yours yourself yourselves also would whose shall may might must
    us
    """.split()  # noqa: SIM905  (a word list reads better as text than as 180 quoted strings)
)
