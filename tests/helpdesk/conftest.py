"""A real Odoo 17 with helpdesk_mgmt for the session (tests/helpdesk/odoo_helpdesk.py)."""
import os
import tempfile
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.helpdesk.odoo_helpdesk import HelpdeskOdoo, Postgres

SERIES = os.environ.get("HELPDESK_ODOO_SERIES", "17.0")


@pytest.fixture(scope="session")
def helpdesk_odoo():
    """Odoo `SERIES` with helpdesk_mgmt and demo data, admin/admin; stopped at the end."""
    postgres = Postgres().start()
    workdir = Path(tempfile.mkdtemp(prefix="helpdesk-odoo-"))
    odoo = HelpdeskOdoo(SERIES, workdir, postgres, free_port())
    try:
        odoo.initialise()
        odoo.start()
        odoo.key = odoo.api_key()
        yield odoo
    finally:
        odoo.stop()
        postgres.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, show the end of Odoo's log."""
    outcome = yield
    report = outcome.get_result()
    odoo = item.funcargs.get("helpdesk_odoo") if hasattr(item, "funcargs") else None
    if report.failed and odoo is not None and odoo.log.exists():
        report.sections.append(("Odoo log", odoo.log.read_text(errors="replace")[-8000:]))
