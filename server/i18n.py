"""Server-side texts in Finnish, English and Swedish; the language comes from Accept-Language."""
from flask import g, has_request_context, request

LANGUAGES = ("fi", "en", "sv")

MESSAGES = {
    # Request-level errors: one per HTTP status of the error shape.
    "bad_request": {
        "en": "The request could not be understood.",
        "fi": "Pyyntöä ei voitu tulkita.",
        "sv": "Begäran kunde inte tolkas.",
    },
    "malformed_json": {
        "en": "The request body is not valid JSON.",
        "fi": "Pyynnön sisältö ei ole kelvollista JSONia.",
        "sv": "Begärans innehåll är inte giltig JSON.",
    },
    "body_not_object": {
        "en": "The request body must be a JSON object.",
        "fi": "Pyynnön sisällön on oltava JSON-objekti.",
        "sv": "Begärans innehåll måste vara ett JSON-objekt.",
    },
    "unauthorized": {
        "en": "A valid customer key is required (Authorization: Bearer <key>).",
        "fi": "Kelvollinen asiakasavain vaaditaan (Authorization: Bearer <avain>).",
        "sv": "En giltig kundnyckel krävs (Authorization: Bearer <nyckel>).",
    },
    "forbidden_origin": {
        "en": "The report comes from a page that is not one of this customer's Odoo addresses.",
        "fi": "Ilmoitus tulee sivulta, joka ei ole tämän asiakkaan Odoo-osoite.",
        "sv": "Rapporten kommer från en sida som inte är en av kundens Odoo-adresser.",
    },
    "not_found": {
        "en": "Not found.",
        "fi": "Ei löytynyt.",
        "sv": "Hittades inte.",
    },
    "method_not_allowed": {
        "en": "This method is not allowed here.",
        "fi": "Tätä metodia ei sallita tässä osoitteessa.",
        "sv": "Metoden är inte tillåten här.",
    },
    "too_large": {
        "en": "The request is too large (at most {max_bytes} bytes).",
        "fi": "Pyyntö on liian suuri (enintään {max_bytes} tavua).",
        "sv": "Begäran är för stor (högst {max_bytes} byte).",
    },
    "unsupported_media_type": {
        "en": "Send the report as JSON (Content-Type: application/json).",
        "fi": "Lähetä ilmoitus JSON-muodossa (Content-Type: application/json).",
        "sv": "Skicka rapporten som JSON (Content-Type: application/json).",
    },
    "validation_failed": {
        "en": "The report is incomplete or invalid; see the fields.",
        "fi": "Ilmoitus on puutteellinen tai virheellinen; katso kentät.",
        "sv": "Rapporten är ofullständig eller ogiltig; se fälten.",
    },
    "rate_limited": {
        "en": "Too many requests; try again in {retry_after} seconds.",
        "fi": "Liian monta pyyntöä; yritä uudelleen {retry_after} sekunnin kuluttua.",
        "sv": "För många förfrågningar; försök igen om {retry_after} sekunder.",
    },
    "auth_rate_limited": {
        "en": "Too many attempts with a wrong customer key; try again in {retry_after} seconds.",
        "fi": "Liian monta yritystä väärällä asiakasavaimella; yritä uudelleen {retry_after} "
              "sekunnin kuluttua.",
        "sv": "För många försök med fel kundnyckel; försök igen om {retry_after} sekunder.",
    },
    "internal_error": {
        "en": "Something went wrong on the server. Your report was not accepted; "
              "please send it again.",
        "fi": "Palvelimella tapahtui virhe. Ilmoitusta ei vastaanotettu; lähetä se uudelleen.",
        "sv": "Något gick fel på servern. Rapporten togs inte emot; skicka den igen.",
    },
    "unsafe_header": {
        "en": "The report could not be made into a safe e-mail: a title, module or name "
              "contains text that would change the e-mail's headers. Change it and send again.",
        "fi": "Ilmoituksesta ei voitu tehdä turvallista sähköpostia: otsikko, moduuli tai nimi "
              "sisältää tekstiä, joka muuttaisi sähköpostin otsakkeita. Muuta sitä ja lähetä "
              "uudelleen.",
        "sv": "Rapporten kunde inte göras till ett säkert e-postmeddelande: en rubrik, modul "
              "eller ett namn innehåller text som skulle ändra e-postens huvuden. Ändra den och "
              "skicka igen.",
    },
    "storage_full": {
        "en": "The server has no room to store the report right now, so it was not accepted. "
              "Try again in {retry_after} seconds.",
        "fi": "Palvelimella ei ole juuri nyt tilaa tallentaa ilmoitusta, joten sitä ei "
              "vastaanotettu. Yritä uudelleen {retry_after} sekunnin kuluttua.",
        "sv": "Servern har inte plats att spara rapporten just nu, så den togs inte emot. "
              "Försök igen om {retry_after} sekunder.",
    },
    # Why a delivery failed (GET /api/v1/reports/<id>): one per failure code of the outbox;
    # the mail server's own words stay with the operator.
    "delivery_recipient_refused": {
        "en": "The mail server refused the support address. Contact support another way "
              "and give the reference.",
        "fi": "Sähköpostipalvelin hylkäsi tuen osoitteen. Ota yhteyttä tukeen muuta kautta "
              "ja kerro viite.",
        "sv": "E-postservern avvisade supportadressen. Kontakta supporten på annat sätt och "
              "uppge referensen.",
    },
    "delivery_message_rejected": {
        "en": "The mail server refused this report. Contact support another way and give "
              "the reference.",
        "fi": "Sähköpostipalvelin hylkäsi tämän ilmoituksen. Ota yhteyttä tukeen muuta kautta "
              "ja kerro viite.",
        "sv": "E-postservern avvisade rapporten. Kontakta supporten på annat sätt och uppge "
              "referensen.",
    },
    "delivery_message_unusable": {
        "en": "The stored report could not be sent. Contact support another way and give "
              "the reference.",
        "fi": "Tallennettua ilmoitusta ei voitu lähettää. Ota yhteyttä tukeen muuta kautta "
              "ja kerro viite.",
        "sv": "Den sparade rapporten kunde inte skickas. Kontakta supporten på annat sätt och "
              "uppge referensen.",
    },
    "delivery_mail_server_unreachable": {
        "en": "The support mail server cannot be reached right now; the report is sent "
              "automatically as soon as it can be.",
        "fi": "Tuen sähköpostipalvelimeen ei juuri nyt saada yhteyttä; ilmoitus lähetetään "
              "automaattisesti heti kun mahdollista.",
        "sv": "Supportens e-postserver kan inte nås just nu; rapporten skickas automatiskt "
              "så snart det går.",
    },
    "delivery_gave_up": {
        "en": "The report could not be delivered despite repeated attempts. Contact support "
              "another way and give the reference.",
        "fi": "Ilmoitusta ei saatu perille toistuvista yrityksistä huolimatta. Ota yhteyttä "
              "tukeen muuta kautta ja kerro viite.",
        "sv": "Rapporten kunde inte levereras trots upprepade försök. Kontakta supporten på "
              "annat sätt och uppge referensen.",
    },
    # Field errors.
    "required": {
        "en": "This field is required.",
        "fi": "Tämä kenttä on pakollinen.",
        "sv": "Fältet är obligatoriskt.",
    },
    "null": {
        "en": "This field may not be empty.",
        "fi": "Tämä kenttä ei voi olla tyhjä.",
        "sv": "Fältet får inte vara tomt.",
    },
    "invalid": {
        "en": "Not a valid value.",
        "fi": "Virheellinen arvo.",
        "sv": "Ogiltigt värde.",
    },
    "invalid_email": {
        "en": "Not a valid email address.",
        "fi": "Virheellinen sähköpostiosoite.",
        "sv": "Ogiltig e-postadress.",
    },
    "invalid_url": {
        "en": "Not a valid http(s) address.",
        "fi": "Virheellinen http(s)-osoite.",
        "sv": "Ogiltig http(s)-adress.",
    },
    "invalid_uuid": {
        "en": "Not a valid UUID.",
        "fi": "Virheellinen UUID.",
        "sv": "Ogiltigt UUID.",
    },
    "invalid_datetime": {
        "en": "Not a valid ISO 8601 time with a time zone.",
        "fi": "Virheellinen ISO 8601 -aika (aikavyöhyke vaaditaan).",
        "sv": "Ogiltig ISO 8601-tid (tidszon krävs).",
    },
    "datetime_out_of_range": {
        "en": "The time must be between {earliest} and tomorrow.",
        "fi": "Ajan on oltava aikaisintaan {earliest} ja viimeistään huomenna.",
        "sv": "Tiden måste vara mellan {earliest} och i morgon.",
    },
    "one_of": {
        "en": "Must be one of: {choices}.",
        "fi": "Sallitut arvot: {choices}.",
        "sv": "Måste vara något av: {choices}.",
    },
    "blank": {
        "en": "This field may not be blank.",
        "fi": "Tämä kenttä ei voi olla tyhjä.",
        "sv": "Fältet får inte vara tomt.",
    },
    "too_long": {
        "en": "At most {max} characters.",
        "fi": "Enintään {max} merkkiä.",
        "sv": "Högst {max} tecken.",
    },
    "too_many": {
        "en": "At most {max} items.",
        "fi": "Enintään {max} kohtaa.",
        "sv": "Högst {max} poster.",
    },
    "line_break": {
        "en": "Must be a single line (no line breaks).",
        "fi": "Kentän on oltava yksirivinen (ei rivinvaihtoja).",
        "sv": "Måste vara en enda rad (inga radbrytningar).",
    },
    "control_character": {
        "en": "Contains a control character that is not allowed.",
        "fi": "Sisältää ohjausmerkin, joka ei ole sallittu.",
        "sv": "Innehåller ett otillåtet styrtecken.",
    },
    "invalid_character": {
        "en": "Contains characters that are not valid text.",
        "fi": "Sisältää merkkejä, jotka eivät ole kelvollista tekstiä.",
        "sv": "Innehåller tecken som inte är giltig text.",
    },
    # The support rules (support-guidelines.md).
    "title_generic": {
        "en": "The title is too generic. Say what fails and where, e.g. "
              "\"Validation Error when confirming sales order S00042\".",
        "fi": "Otsikko on liian yleinen. Kerro mikä epäonnistuu ja missä, esim. "
              "\"Validation Error myyntitilauksen S00042 vahvistuksessa\".",
        "sv": "Rubriken är för allmän. Säg vad som misslyckas och var, t.ex. "
              "\"Validation Error när försäljningsorder S00042 bekräftas\".",
    },
    "title_too_short": {
        "en": "The title is too short: use at least {min_words} words and {min_length} "
              "characters that say what fails and where.",
        "fi": "Otsikko on liian lyhyt: käytä vähintään {min_words} sanaa ja {min_length} "
              "merkkiä, jotka kertovat mikä epäonnistuu ja missä.",
        "sv": "Rubriken är för kort: använd minst {min_words} ord och {min_length} tecken "
              "som säger vad som misslyckas och var.",
    },
    "title_missing_error_title": {
        "en": "The title must mention the error's title \"{error_title}\".",
        "fi": "Otsikossa on mainittava virheilmoituksen otsikko \"{error_title}\".",
        "sv": "Rubriken måste nämna felets rubrik \"{error_title}\".",
    },
    "title_missing_error_words": {
        "en": "The title must mention the error message, e.g. a word from \"{excerpt}\".",
        "fi": "Otsikossa on mainittava virheilmoitus, esim. sana viestistä \"{excerpt}\".",
        "sv": "Rubriken måste nämna felmeddelandet, t.ex. ett ord ur \"{excerpt}\".",
    },
    "title_only_error_title": {
        "en": "The title only repeats the error's title. Add what you were doing or "
              "what failed, e.g. \"Validation Error when confirming sales order S00042\".",
        "fi": "Otsikko vain toistaa virheilmoituksen otsikon. Lisää, mitä olit tekemässä "
              "tai mikä epäonnistui, esim. \"Validation Error myyntitilauksen S00042 "
              "vahvistuksessa\".",
        "sv": "Rubriken upprepar bara felets rubrik. Lägg till vad du höll på med eller "
              "vad som misslyckades, t.ex. \"Validation Error när försäljningsorder S00042 "
              "bekräftas\".",
    },
    "steps_required": {
        "en": "Write down at least one step you took before the error.",
        "fi": "Kirjoita vähintään yksi vaihe, jonka teit ennen virhettä.",
        "sv": "Skriv minst ett steg du tog före felet.",
    },
    "result_required": {
        "en": "Describe the result or the error message.",
        "fi": "Kuvaile lopputulos tai virheilmoitus.",
        "sv": "Beskriv resultatet eller felmeddelandet.",
    },
    "error_required": {
        "en": "An error report needs the error itself: its title, message and details.",
        "fi": "Virheilmoitukseen tarvitaan itse virhe: otsikko, viesti ja tiedot.",
        "sv": "En felrapport behöver själva felet: rubrik, meddelande och detaljer.",
    },
    "context_url_required": {
        "en": "The address of the page where the error appeared is required.",
        "fi": "Sen sivun osoite, jolla virhe ilmeni, on pakollinen.",
        "sv": "Adressen till sidan där felet uppstod krävs.",
    },
    # Screenshots (E6, G4).
    "screenshot_not_data_url": {
        "en": "The screenshot must be a base64 data URL.",
        "fi": "Kuvakaappauksen on oltava base64-data-URL.",
        "sv": "Skärmbilden måste vara en base64-data-URL.",
    },
    "screenshot_not_image": {
        "en": "The screenshot is not a PNG or JPEG image.",
        "fi": "Kuvakaappaus ei ole PNG- tai JPEG-kuva.",
        "sv": "Skärmbilden är inte en PNG- eller JPEG-bild.",
    },
    "screenshot_truncated": {
        "en": "The screenshot is damaged or incomplete.",
        "fi": "Kuvakaappaus on vioittunut tai keskeneräinen.",
        "sv": "Skärmbilden är skadad eller ofullständig.",
    },
    "screenshot_too_many_pixels": {
        "en": "The screenshot is too large (at most {max_pixels} pixels).",
        "fi": "Kuvakaappaus on liian suuri (enintään {max_pixels} pikseliä).",
        "sv": "Skärmbilden är för stor (högst {max_pixels} pixlar).",
    },
    "screenshot_too_long_side": {
        "en": "The screenshot is too large (at most {max_side} pixels wide or high).",
        "fi": "Kuvakaappaus on liian suuri (enintään {max_side} pikseliä leveä tai korkea).",
        "sv": "Skärmbilden är för stor (högst {max_side} pixlar bred eller hög).",
    },
    "screenshot_bad_shape": {
        "en": "The screenshot does not have the shape of a screen (one side is more than "
              "{ratio} times the other).",
        "fi": "Kuvakaappaus ei ole näytön muotoinen (toinen sivu on yli {ratio} kertaa "
              "toista pidempi).",
        "sv": "Skärmbilden har inte en skärms form (ena sidan är mer än {ratio} gånger så "
              "lång som den andra).",
    },
    "screenshot_too_many_bytes": {
        "en": "The screenshot has too much detail to be attached; send a smaller one.",
        "fi": "Kuvakaappauksessa on liikaa yksityiskohtia liitettäväksi; lähetä pienempi.",
        "sv": "Skärmbilden har för många detaljer för att bifogas; skicka en mindre.",
    },
    # The dev-mode outbox page (server/demo): the tickets as support receives them.
    "outbox_title": {
        "en": "Tickets sent (dev mode)",
        "fi": "Lähetetyt tiketit (kehitystila)",
        "sv": "Skickade ärenden (utvecklingsläge)",
    },
    "outbox_intro": {
        "en": "Each report as the support address receives it: headers, the message with its "
              "screenshot, and the attachments. Newest first.",
        "fi": "Jokainen ilmoitus sellaisena kuin tuen osoite sen saa: otsakkeet, viesti "
              "kuvakaappauksineen ja liitteet. Uusin ensin.",
        "sv": "Varje rapport så som supportadressen tar emot den: rubriker, meddelandet med "
              "skärmbilden och bilagorna. Nyaste först.",
    },
    "outbox_empty": {
        "en": "No tickets yet. Report an error on /dev/odoo-demo to see one here.",
        "fi": "Ei vielä tikettejä. Ilmoita virheestä sivulla /dev/odoo-demo, niin se näkyy tässä.",
        "sv": "Inga ärenden ännu. Rapportera ett fel på /dev/odoo-demo så syns det här.",
    },
    "outbox_message": {
        "en": "The ticket's message",
        "fi": "Tiketin viesti",
        "sv": "Ärendets meddelande",
    },
    "outbox_attachments": {
        "en": "Attachments",
        "fi": "Liitteet",
        "sv": "Bilagor",
    },
    "outbox_state_sent": {"en": "Sent", "fi": "Lähetetty", "sv": "Skickat"},
    "outbox_state_sending": {"en": "Sending", "fi": "Lähetetään", "sv": "Skickas"},
    "outbox_state_queued": {"en": "Waiting to be sent", "fi": "Odottaa lähetystä",
                            "sv": "Väntar på att skickas"},
    "outbox_state_failed": {"en": "Not delivered", "fi": "Ei toimitettu",
                            "sv": "Inte levererat"},
}


def current_language() -> str:
    """The request's best language: Accept-Language, else the customer's, else English."""
    if not has_request_context():
        return "en"
    chosen = accepted_language()
    if chosen is None and g.get("customer") is not None:
        chosen = g.customer.language
    return chosen or "en"


def accepted_language() -> str | None:
    """The first of the reporter's languages (by quality) that we speak; "sv-SE" means sv.

    Werkzeug's best_match prefers an exact "en" at q=0.5 over "sv-SE" at q=1.
    """
    for value, quality in request.accept_languages:
        language = primary_language(value)
        if quality > 0 and language:
            return language
    return None


def primary_language(tag: str | None) -> str | None:
    """The language of a tag if we speak it: "sv-SE", "fi_FI" and "FI" are sv, fi, fi."""
    code = (tag or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def t(key: str, language: str | None = None, **params) -> str:
    """The text for `key` in the request's language, with `params` filled in."""
    texts = MESSAGES[key]
    return texts.get(language or current_language(), texts["en"]).format(**params)
