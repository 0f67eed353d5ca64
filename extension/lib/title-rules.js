// The title rules G2 and E3, checked in the form as the user types. The server
// decides (server/validators/rules.py) and sends its rules in GET /api/v1/config
// as `title_rules`; BUILT_IN_RULES is a copy of them for when the extension has
// never reached the server (a test compares the two). Same normalization as the
// server: NFKC, case-folded, punctuation, symbols and controls to spaces,
// whitespace collapsed, `ignored_words` ("odoo", "odoossa", "in", …) dropped.
"use strict";
(function () {
  const BUILT_IN_RULES = Object.freeze({
    min_words: 2,
    min_length: 15,
    min_shared_word_length: 4,
    stem_length: 5,
    ignored_words: ["a", "an", "at", "i", "in", "med", "min", "mitt", "my", "odoo", "odoolla", "odoon", "odoossa", "odoosta", "on", "please", "pls", "på", "s", "ssa", "the", "with"],
    generic_words: ["again", "apu", "apua", "asap", "broken", "brådskande", "bug", "bugg", "bugs", "does", "doesn", "don", "ei", "error", "errors", "failure", "fault", "fel", "felet", "felmeddelande", "fråga", "frågor", "fungerar", "hei", "hej", "hello", "help", "hi", "hjälp", "häiriö", "inte", "is", "isn", "issue", "issues", "it", "jokin", "jotain", "kiire", "kiireellinen", "kiitos", "kysymyksiä", "kysymys", "message", "moi", "not", "något", "ongelma", "ongelmaa", "ongelmat", "ongelmia", "problem", "problemet", "problems", "pyyntö", "question", "questions", "request", "some", "something", "support", "supportärende", "t", "taas", "tack", "thanks", "ticket", "toimi", "toimii", "tukipyyntö", "urgent", "vialla", "vika", "vikaa", "vikoja", "virhe", "virheet", "virheilmoitus", "virheitä", "work", "working", "works", "wrong", "ärende"],
    generic_titles: ["problem", "error", "bug", "help", "issue", "question", "ongelma", "vika", "virhe", "apua", "kysymys", "fel", "hjälp", "fråga"],
    generic_error_titles: ["asiakasvirhe", "client error", "error", "fel", "hoppsan", "hups", "hupsis", "klientfel", "network error", "nätverksfel", "oho", "oj", "oops", "palvelinvirhe", "server error", "serverfel", "varning", "varoitus", "verkkovirhe", "virhe", "warning"],
    filler_words: ["after", "and", "appeared", "appears", "av", "before", "by", "den", "det", "dialog", "during", "eller", "for", "from", "från", "fönster", "för", "get", "gets", "got", "ikkuna", "ilmestyi", "into", "ja", "kom", "kun", "näkyy", "när", "och", "of", "or", "page", "popup", "se", "showed", "shows", "sida", "sidan", "sivu", "sivulla", "som", "tai", "that", "then", "this", "till", "to", "tried", "try", "trying", "tulee", "tuli", "tämä", "vid", "visas", "when", "while", "window", "yritin", "yrittäessä"],
    min_content_words: 1,
    min_content_word_length: 3,
  });

  function withDefaults(rules) {
    return { ...BUILT_IN_RULES, ...(rules || {}) };
  }

  /** The words of a title after the normalization above. */
  function titleWords(text, rules) {
    const ignored = new Set(withDefaults(rules).ignored_words);
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/ß/g, "ss") // what Python's casefold() does beyond lower()
      .replace(/[\p{P}\p{S}\p{Z}\p{C}]+/gu, " ")
      .split(" ")
      .filter((word) => word && !ignored.has(word));
  }

  function normalize(text, rules) {
    return titleWords(text, rules).join(" ");
  }

  /** Equal, or the same stem for Finnish and Swedish inflection ("laskun" ~ "laskua"). */
  function wordsMatch(a, b, stem) {
    return a === b || (a.length >= stem && b.length >= stem && a.slice(0, stem) === b.slice(0, stem));
  }

  function containsWord(words, word, stem) {
    return words.some((candidate) => wordsMatch(candidate, word, stem));
  }

  /** G2: every word left is a generic one ("Error in Odoo", "Vika Odoossa!!"). */
  function isGeneric(title, rules) {
    const generic = new Set(withDefaults(rules).generic_words);
    return titleWords(title, rules).every((word) => generic.has(word));
  }

  /** G2: fewer than min_words words or min_length characters left. */
  function isTooShort(title, rules) {
    const merged = withDefaults(rules);
    const words = titleWords(title, merged);
    return words.length < merged.min_words || words.join(" ").length < merged.min_length;
  }

  /**
   * E3: the title contains every word of the dialog's title, unless that title
   * is generic ("Oops!", "Odoo Server Error"); then it shares a word of
   * min_shared_word_length letters with the error message.
   */
  function mentionsError(title, error, rules) {
    if (!error) return true;
    const merged = withDefaults(rules);
    const words = titleWords(title, merged);
    const dialogWords = titleWords(error.title, merged);
    if (!merged.generic_error_titles.includes(dialogWords.join(" ")) && dialogWords.length) {
      return dialogWords.every((word) => containsWord(words, word, merged.stem_length));
    }
    const generic = new Set(merged.generic_words);
    const messageWords = titleWords(error.message, merged)
      .filter((word) => word.length >= merged.min_shared_word_length && !generic.has(word));
    return messageWords.length === 0 || messageWords.some((word) => containsWord(words, word, merged.stem_length));
  }

  /**
   * G2 with E3: the title says more than the dialog's title. Words left after
   * dropping the dialog title's words (by stem), the words of generic error
   * titles, generic and filler words ("when", "kun", "när"): at least
   * min_content_words of min_content_word_length letters. "Validation Error in
   * Odoo" is refused; "Validation Error when confirming S00042" passes.
   */
  function saysMoreThanErrorTitle(title, error, rules) {
    if (!error) return true;
    const merged = withDefaults(rules);
    const dialogWords = titleWords(error.title, merged);
    const uninformative = new Set([
      ...merged.generic_words, ...merged.filler_words,
      ...merged.generic_error_titles.flatMap((entry) => entry.split(" ")),
    ]);
    const content = titleWords(title, merged).filter((word) => word.length >= merged.min_content_word_length
      && !uninformative.has(word) && !containsWord(dialogWords, word, merged.stem_length));
    return content.length >= merged.min_content_words;
  }

  /**
   * The title's problems, empty when it is good: "empty", "generic" (G2),
   * "too_short" (G2), "missing_error" (E3), "only_error_title" (G2 with E3) —
   * in the order the server checks them.
   */
  function checkTitle(title, { kind = "error", error = null, rules = null } = {}) {
    if (String(title || "").trim() === "") return ["empty"];
    if (isGeneric(title, rules)) return ["generic"];
    if (isTooShort(title, rules)) return ["too_short"];
    if (kind === "error" && !mentionsError(title, error, rules)) return ["missing_error"];
    if (kind === "error" && !saysMoreThanErrorTitle(title, error, rules)) return ["only_error_title"];
    return [];
  }

  /** The message's first sentence; a client error's is the JavaScript message, with its type ("TypeError: …"). */
  function gistOf(error) {
    const gist = firstSentence(error.message);
    const type = error.kind === "client" && typeof error.exception === "string" ? error.exception.trim() : "";
    return type && gist && !gist.includes(type) ? `${type}: ${gist}` : gist;
  }

  /** Does one text say the other ("Connection lost. Trying to reconnect..." and "Connection lost")? */
  function repeats(a, b, rules) {
    const first = normalize(a, rules);
    const second = normalize(b, rules);
    return Boolean(first && second) && (first.includes(second) || second.includes(first));
  }

  /** The longer of two texts when one repeats the other; else the first. */
  function longer(a, b, rules) {
    return b && repeats(a, b, rules) && b.length > a.length ? b : a;
  }

  function firstSentence(text, maxLength = 90) {
    const line = String(text || "").split(/\n/).map((part) => part.trim()).find(Boolean) || "";
    const sentence = line.split(/(?<=[.!?])\s/)[0].replace(/[.!?]+$/, "");
    return sentence.length > maxLength ? `${sentence.slice(0, maxLength - 1).trimEnd()}…` : sentence;
  }

  /**
   * "Quotations / S00042 (action_confirm)": the last breadcrumbs and the call that failed.
   * A client error broke in the browser: the page's last call says nothing about it.
   */
  function whereItHappened(context, error) {
    const crumbs = Array.isArray(context.breadcrumbs) ? context.breadcrumbs.filter(Boolean) : [];
    const place = crumbs.length ? crumbs.slice(-2).join(" / ") : context.app || context.model || "";
    const method = (error.kind !== "client" && context.rpc && context.rpc.method) || "";
    // A numeric action id ("312") says nothing to a reader; a named one ("sales") does.
    const namedAction = context.action && !/^\d+$/.test(String(context.action)) ? String(context.action) : "";
    const action = method || namedAction;
    if (place && action) return `${place} (${action})`;
    return place || action;
  }

  /**
   * E3's suggestion: the error's title, the gist of its message, and where it
   * happened ("Validation Error: Missing account — Sales / S00042 (action_confirm)"),
   * at most `maxLength` characters (the server's limit for titles).
   */
  function suggestTitle({ error = {}, context = {} } = {}, rules = null, maxLength = 200) {
    const merged = withDefaults(rules);
    const shown = error || {};
    const errorTitle = String(shown.title || "").trim();
    const specific = errorTitle && !merged.generic_error_titles.includes(normalize(errorTitle, merged));
    const gist = gistOf(shown);
    const what = specific && gist && !repeats(errorTitle, gist, merged)
      ? `${errorTitle}: ${gist}`
      : (specific ? longer(errorTitle, gist, merged) : gist) || errorTitle;
    const title = [what, whereItHappened(context || {}, shown)].filter(Boolean).join(" — ");
    // The error's part comes first, so cutting the end keeps what E3 asks for.
    return title.length > maxLength ? `${title.slice(0, maxLength - 1).trimEnd()}…` : title;
  }

  const api = {
    BUILT_IN_RULES, titleWords, normalize, isGeneric, isTooShort, mentionsError, saysMoreThanErrorTitle, checkTitle, suggestTitle,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).titleRules = api;
})();
