"""How close two short texts are in words: stems in the texts' own language, weighed by how rare
they are among the texts compared (TF-IDF), and the cosine of the two.

"Verf voor de muur" and "Restje muurverf en kwasten" share "verf": Dutch writes compounds as
one word, so a compound also counts the word it ends with when the other side uses that word.
Common words ("de", "voor", "with") count for nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W\d_]{2,}")
_DUTCH = """
aan al alle alles als ben bij daar dan dat de deze die dit doen door een en er haar heb hebben
heeft het hier hij hoe hun ik in is je jij jou jouw kan kom komen kunnen maar me meer met mij
mijn moet na naar niet nog nu of om onder ons onze ook op over per te tot twee uit van veel voor
waar wat we wel wie wij wil worden wordt zal ze zelf zich zij zijn zo zou graag even iets iemand
keer samen stuk stuks paar nodig zoek zoeken gezocht aanbod vraag buurt
"""
DUTCH_STOPWORDS = frozenset(_DUTCH.split())
_ENGLISH = """
a about all an and any are as at be been but by can could do for from get has have he her his
how i if in into is it its me my need needed no not of on or our out so some than that the their
them then there these they this to two up us was we were what when which who will with would you
your offer request looking pieces piece
"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH.split())


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer("dutch" if language == "nl" else "english")


def language_of(text: str) -> str:
    """Dutch or English, by which language's common words the text uses more (Dutch on a tie:
    the platform's first language)."""
    words = _words(text)
    dutch = sum(word in DUTCH_STOPWORDS for word in words)
    english = sum(word in ENGLISH_STOPWORDS for word in words)
    return "en" if english > dutch else "nl"


def _words(text: str) -> list[str]:
    text = text.lower()
    if not text.isascii():  # "café" and "cafe" are one word
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(text)


_STOPWORDS = DUTCH_STOPWORDS | ENGLISH_STOPWORDS


@lru_cache(maxsize=100_000)
def _stem(language: str, word: str) -> str:
    """Stemming is most of the cost of comparing, and the same words come back all the time."""
    return _stemmer(language).stemWord(word)


def stems(text: str, language: str | None = None) -> list[str]:
    """The stems of the text's meaningful words."""
    language = language or language_of(text)
    return [_stem(language, word) for word in _words(text) if word not in _STOPWORDS]


def _with_compound_tails(terms: list[str], tails: set[str]) -> list[str]:
    """"muurverf" also counts as "verf" when "verf" is among ``tails`` (four letters or more)."""
    return terms + [tail for term in terms for tail in tails
                    if len(term) > len(tail) and term.endswith(tail)]


def similarities(query: str, texts: Sequence[str]) -> list[float]:
    """For each of ``texts``, its TF-IDF cosine similarity to ``query`` (0 to 1)."""
    # The language of the listings at hand: the query's, with a few others for a short query.
    language = language_of(" ".join([query, *texts[:20]]))
    query_terms = stems(query, language)
    others = [stems(text, language) for text in texts]
    vocabulary = {term for terms in others for term in terms if len(term) >= 4}
    query_tails = {term for term in query_terms if len(term) >= 4}
    documents = [Counter(_with_compound_tails(query_terms, vocabulary)),
                 *(Counter(_with_compound_tails(terms, query_tails)) for terms in others)]
    count = len(documents)
    containing = Counter(term for document in documents for term in document)
    idf = {term: math.log((1 + count) / (1 + n)) + 1 for term, n in containing.items()}
    vectors = [{term: (1 + math.log(tf)) * idf[term] for term, tf in document.items()}
               for document in documents]
    norms = [math.sqrt(sum(w * w for w in vector.values())) for vector in vectors]
    first, first_norm = vectors[0], norms[0]
    if not first_norm:
        return [0.0] * len(texts)
    return [sum(weight * first.get(term, 0.0) for term, weight in vector.items())
            / (first_norm * norm) if norm else 0.0
            for vector, norm in zip(vectors[1:], norms[1:], strict=True)]
