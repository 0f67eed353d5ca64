"""The support guidelines as small named checks; each raises ValidationError citing its rule.

Title normalization (shared with the extension through GET /api/v1/config):
NFKC, lower case (casefold), every punctuation or symbol character becomes a space,
whitespace collapses, and the words in IGNORED_WORDS ("odoo", "in", "i", "odoossa", ...)
are dropped. What is left is the title's words.

- G2: a title is generic when every word left is a GENERIC_WORD ("Error in Odoo",
  "Vika Odoossa!!", "problem i odoo"), and too short when fewer than MIN_WORDS words or
  MIN_LENGTH characters are left (measured on the words joined by single spaces).
- E3: for an error, the title must contain every word of the error dialog's title, unless
  that title is generic (GENERIC_ERROR_TITLES: "Oops!", "Odoo Server Error", ...); then it
  must share a word of at least MIN_SHARED_WORD letters with the error message. Words match
  when equal or, for Finnish and Swedish inflection, when both have at least STEM letters and
  their first STEM letters agree ("laskun" matches "laskua").
- G2/E3 together: an error's title must say more than the dialog's title. Drop from its words
  those that match a word of the dialog's title (equal or same stem), and those equal to a
  word of any GENERIC_ERROR_TITLES entry ("oops", "server", ...), a GENERIC_WORD or a
  FILLER_WORD ("when", "kun", "när", ...); at least MIN_CONTENT_WORDS words of at least
  MIN_CONTENT_WORD_LENGTH characters must be left.
  "Validation Error in Odoo", "Error: Validation" and "Oops! Odoo Server Error" are refused;
  "Validation Error when confirming sales order S00042" passes.
"""
import unicodedata

from marshmallow import ValidationError

from server.i18n import t

MIN_WORDS = 2
MIN_LENGTH = 15
MIN_SHARED_WORD = 4
STEM = 5
MIN_CONTENT_WORDS = 1
MIN_CONTENT_WORD_LENGTH = 3

IGNORED_WORDS = frozenset({
    "odoo", "odoossa", "odoon", "odoolla", "odoosta", "s", "ssa",
    "in", "i", "a", "an", "the", "on", "at", "with", "my", "please", "pls",
    "med", "på", "min", "mitt",
})
GENERIC_WORDS = frozenset({
    # en
    "problem", "problems", "error", "errors", "bug", "bugs", "help", "issue", "issues",
    "question", "questions", "urgent", "fault", "failure", "broken", "support", "request",
    "ticket", "not", "working", "work", "works", "doesn", "don", "isn", "t", "does", "it",
    "is", "something", "wrong", "message", "asap", "hi", "hello", "thanks", "again", "some",
    # fi
    "ongelma", "ongelmia", "ongelmat", "ongelmaa", "vika", "vikaa", "vikoja", "virhe",
    "virheitä", "virheet", "virheilmoitus", "apua", "apu", "kysymys", "kysymyksiä", "kiire",
    "kiireellinen", "ei", "toimi", "toimii", "jotain", "vialla", "häiriö", "tukipyyntö",
    "pyyntö", "hei", "moi", "kiitos", "taas", "jokin",
    # sv
    "fel", "felet", "problemet", "hjälp", "fråga", "frågor", "bugg", "brådskande",
    "fungerar", "inte", "något", "felmeddelande", "supportärende", "ärende", "hej", "tack",
})
# Dialog titles that name no error (Odoo 18+ "Oops!", older "Odoo Server Error"), normalized.
GENERIC_ERROR_TITLES = frozenset({
    "", "oops", "server error", "client error", "error", "network error", "warning",
    "hups", "hupsis", "oho", "palvelinvirhe", "asiakasvirhe", "virhe", "verkkovirhe",
    "varoitus", "hoppsan", "oj", "serverfel", "klientfel", "fel", "nätverksfel", "varning",
})
# The words of those titles: alone they name no error (compared exactly, not by stem, so
# that "palvelutilaus" is not taken for "palvelinvirhe").
GENERIC_ERROR_TITLE_WORDS = frozenset(word for title in GENERIC_ERROR_TITLES
                                      for word in title.split())
# Words that join a title's parts but say nothing of what failed or where (en, fi, sv).
FILLER_WORDS = frozenset({
    "when", "while", "during", "after", "before", "for", "of", "to", "from", "and", "or",
    "by", "this", "that", "then", "into", "trying", "tried", "try", "got", "get",
    "gets", "appears", "appeared", "shows", "showed", "popup", "dialog", "window", "page",
    "kun", "ja", "tai", "se", "tämä", "tuli", "tulee", "näkyy", "ilmestyi", "ikkuna",
    "sivu", "sivulla", "yritin", "yrittäessä",
    "när", "och", "eller", "vid", "för", "av", "till", "från", "det", "den", "som", "kom",
    "visas", "fönster", "sida", "sidan",
})
# The titles G2 names, normalized, for clients that show examples.
GENERIC_TITLES = ("problem", "error", "bug", "help", "issue", "question", "ongelma", "vika",
                  "virhe", "apua", "kysymys", "fel", "hjälp", "fråga")


def title_words(text: str) -> list[str]:
    """The words of a title after the normalization documented above."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return [word for word in spaced.split() if word not in IGNORED_WORDS]


def normalized_title(text: str) -> str:
    return " ".join(title_words(text))


def words_match(a: str, b: str) -> bool:
    """Equal, or the same stem for inflected languages (first STEM letters)."""
    return a == b or (len(a) >= STEM and len(b) >= STEM and a[:STEM] == b[:STEM])


def contains_word(words: list[str], word: str) -> bool:
    return any(words_match(candidate, word) for candidate in words)


def reject_generic_title(title: str) -> None:
    """G2: refuse "Problem", "Vika Odoossa" and titles too short to say anything."""
    words = title_words(title)
    if all(word in GENERIC_WORDS for word in words):
        raise ValidationError(t("title_generic"))
    if len(words) < MIN_WORDS or len(" ".join(words)) < MIN_LENGTH:
        raise ValidationError(t("title_too_short", min_words=MIN_WORDS, min_length=MIN_LENGTH))


def require_error_title_in_title(title: str, error_title: str, error_message: str) -> None:
    """E3: the title names the error: its dialog title, or words of its message."""
    words = title_words(title)
    dialog_words = title_words(error_title)
    if " ".join(dialog_words) not in GENERIC_ERROR_TITLES:
        if not all(contains_word(words, word) for word in dialog_words):
            raise ValidationError(t("title_missing_error_title", error_title=error_title.strip()))
        return
    message_words = [w for w in title_words(error_message)
                     if len(w) >= MIN_SHARED_WORD and w not in GENERIC_WORDS]
    if message_words and not any(contains_word(words, word) for word in message_words):
        excerpt = " ".join(error_message.split())[:80]
        raise ValidationError(t("title_missing_error_words", excerpt=excerpt))


def is_content_word(word: str, dialog_words: list[str]) -> bool:
    """A word that says something the dialog's title, G2's lists and the fillers don't."""
    return (len(word) >= MIN_CONTENT_WORD_LENGTH and word not in GENERIC_WORDS
            and word not in FILLER_WORDS and word not in GENERIC_ERROR_TITLE_WORDS
            and not contains_word(dialog_words, word))


def require_more_than_the_dialog_title(title: str, error_title: str) -> None:
    """G2/E3: "Validation Error" alone names the error but not what the user did or what failed."""
    dialog_words = title_words(error_title)
    content = [word for word in title_words(title) if is_content_word(word, dialog_words)]
    if len(content) < MIN_CONTENT_WORDS:
        raise ValidationError(t("title_only_error_title"))


def require_error_seed_fields(report: dict) -> dict:
    """E1, E4, E5: an error report carries the error, its result and the steps before it."""
    problems = {}
    if not report.get("result"):
        problems["result"] = [t("result_required")]
    if not report.get("steps"):
        problems["steps"] = [t("steps_required")]
    error = report.get("error")
    if not error or not (error.get("title") or error.get("message")):
        problems["error"] = [t("error_required")]
    return problems


def title_rules() -> dict:
    """The title rules as data, so the extension can check a title as the user types."""
    return {
        "min_words": MIN_WORDS,
        "min_length": MIN_LENGTH,
        "min_shared_word_length": MIN_SHARED_WORD,
        "stem_length": STEM,
        "ignored_words": sorted(IGNORED_WORDS),
        "generic_words": sorted(GENERIC_WORDS),
        "generic_titles": list(GENERIC_TITLES),
        "generic_error_titles": sorted(GENERIC_ERROR_TITLES - {""}),
        "filler_words": sorted(FILLER_WORDS),
        "min_content_words": MIN_CONTENT_WORDS,
        "min_content_word_length": MIN_CONTENT_WORD_LENGTH,
        "normalization": "NFKC, casefold, punctuation and symbols to spaces, collapse "
                         "whitespace, drop ignored_words",
    }
