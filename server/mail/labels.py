"""The ticket's fixed texts, in server/i18n.py's shape: key, then language (fi, en, sv)."""
from server.i18n import primary_language

LABELS = {
    "heading_error": {"en": "Error report", "fi": "Virheilmoitus", "sv": "Felrapport"},
    "heading_question": {"en": "Question", "fi": "Kysymys", "sv": "Fråga"},
    "reference": {"en": "Reference", "fi": "Viite", "sv": "Referens"},
    "customer": {"en": "Customer", "fi": "Asiakas", "sv": "Kund"},
    "reporter": {"en": "Reported by", "fi": "Ilmoittaja", "sv": "Rapporterad av"},
    "doing": {
        "en": "What the user was doing",
        "fi": "Mitä käyttäjä oli tekemässä",
        "sv": "Vad användaren gjorde",
    },
    "steps": {
        "en": "Steps before the error",
        "fi": "Vaiheet ennen virhettä",
        "sv": "Steg före felet",
    },
    "steps_question": {"en": "Steps taken", "fi": "Tehdyt vaiheet", "sv": "Steg som tagits"},
    "result": {
        "en": "Result / error message",
        "fi": "Lopputulos / virheilmoitus",
        "sv": "Resultat / felmeddelande",
    },
    "error": {"en": "Error", "fi": "Virhe", "sv": "Fel"},
    "expected": {
        "en": "Expected result", "fi": "Odotettu lopputulos", "sv": "Förväntat resultat"},
    "module": {"en": "Module", "fi": "Moduuli", "sv": "Modul"},
    "environment_block": {"en": "Environment", "fi": "Ympäristö", "sv": "Miljö"},
    "environment": {"en": "Environment", "fi": "Ympäristö", "sv": "Miljö"},
    "url": {"en": "Page", "fi": "Sivu", "sv": "Sida"},
    "odoo_version": {"en": "Odoo version", "fi": "Odoo-versio", "sv": "Odoo-version"},
    "database": {"en": "Database", "fi": "Tietokanta", "sv": "Databas"},
    "user": {"en": "User", "fi": "Käyttäjä", "sv": "Användare"},
    "company": {"en": "Company", "fi": "Yritys", "sv": "Företag"},
    "lang": {"en": "Language", "fi": "Kieli", "sv": "Språk"},
    "app": {"en": "App", "fi": "Sovellus", "sv": "App"},
    "model": {"en": "Model", "fi": "Malli", "sv": "Modell"},
    "record_id": {"en": "Record", "fi": "Tietue", "sv": "Post"},
    "view_type": {"en": "View", "fi": "Näkymä", "sv": "Vy"},
    "browser": {"en": "Browser", "fi": "Selain", "sv": "Webbläsare"},
    "occurred_at": {"en": "Time", "fi": "Aika", "sv": "Tid"},
    "server_call": {
        "en": "Failing server call",
        "fi": "Epäonnistunut palvelinkutsu",
        "sv": "Misslyckat serveranrop",
    },
    "checklist": {"en": "Before asking", "fi": "Ennen kysymistä", "sv": "Innan frågan"},
    "checked_guide": {
        "en": "Checked the process guide or the Odoo manual",
        "fi": "Prosessiohje tai Odoon käyttöohje tarkistettu",
        "sv": "Processguiden eller Odoos manual kontrollerad",
    },
    "tried_staging": {
        "en": "Tried it in staging",
        "fi": "Kokeiltu testiympäristössä",
        "sv": "Provat i testmiljön",
    },
    "asked_key_user": {
        "en": "Asked a colleague or the key user",
        "fi": "Kysytty kollegalta tai pääkäyttäjältä",
        "sv": "Frågat en kollega eller nyckelanvändaren",
    },
    "yes": {"en": "yes", "fi": "kyllä", "sv": "ja"},
    "no": {"en": "no", "fi": "ei", "sv": "nej"},
    "answer_by": {
        "en": "Expected answer by (weekdays, within 24 hours)",
        "fi": "Vastaus viimeistään (arkipäivisin 24 tunnin sisällä)",
        "sv": "Svar senast (vardagar, inom 24 timmar)",
    },
    "attachments": {"en": "Attached", "fi": "Liitteet", "sv": "Bilagor"},
    "screenshot": {"en": "Screenshot", "fi": "Kuvakaappaus", "sv": "Skärmbild"},
    "fingerprint": {
        "en": "Error fingerprint",
        "fi": "Virheen tunniste",
        "sv": "Felets fingeravtryck",
    },
    "seen": {
        "en": "Seen {count} times by {users} users at {customers} customers in the last 30 "
              "days, first seen {first}",
        "fi": "Nähty {count} kertaa, {users} käyttäjällä {customers} asiakkaalla "
              "viimeisten 30 päivän aikana, ensimmäisen kerran {first}",
        "sv": "Sett {count} gånger av {users} användare hos {customers} kunder de senaste 30 "
              "dagarna, först sett {first}",
    },
    "earlier": {"en": "Earlier tickets", "fi": "Aiemmat tiketit", "sv": "Tidigare ärenden"},
    "first_ticket": {
        "en": "First ticket of this error",
        "fi": "Tämän virheen ensimmäinen tiketti",
        "sv": "Första ärendet om detta fel",
    },
    "production": {"en": "PRODUCTION", "fi": "TUOTANTO", "sv": "PRODUKTION"},
    "staging": {"en": "STAGING", "fi": "TESTIYMPÄRISTÖ", "sv": "TESTMILJÖ"},
    "unknown": {"en": "unknown", "fi": "tuntematon", "sv": "okänd"},
    "none": {"en": "—", "fi": "—", "sv": "—"},
    "weekdays": {
        "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
        "sv": ["mån", "tis", "ons", "tors", "fre", "lör", "sön"],
    },
    "datetime": {
        "en": "{weekday} {date:%Y-%m-%d} {date:%H:%M} ({zone})",
        "fi": "{weekday} {date.day}.{date.month}.{date.year} klo {date:%H.%M} ({zone})",
        "sv": "{weekday} {date:%Y-%m-%d} kl. {date:%H.%M} ({zone})",
    },
}


def labels_for(language):
    """The labels in `language` ("fi", "fi_FI", "sv-SE", ...), English when unknown."""
    code = primary_language(language) or "en"
    return {key: texts[code] for key, texts in LABELS.items()}
