"""The ticket's fixed texts: the "ticket" section of each language's catalog (server/locales)."""
from server.i18n import CATALOGS, TICKET_SECTION, primary_language


def labels_for(language):
    """The labels in `language` ("fi", "fi_FI", "sv-SE", ...), English when unknown."""
    code = primary_language(language) or "en"
    return dict(CATALOGS[code][TICKET_SECTION])
