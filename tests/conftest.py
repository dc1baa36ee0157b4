"""End-to-end tests run by pytest-odoo against a database where the addon is
installed (``make test`` passes --odoo-database and --odoo-config)."""

import logging

import pytest


class _FrameworkImportNotice(logging.Filter):
    """pytest-odoo imports Odoo's test framework before it can tell Odoo that tests
    run, and Odoo logs that import as an error; it is the expected way here."""

    def filter(self, record):
        return "Importing test framework" not in record.getMessage()


logging.getLogger("odoo.tests.common").addFilter(_FrameworkImportNotice())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """pytest-odoo skips HTTP tests unless it serves Odoo itself (``--odoo-http``, on a
    random port). ``HttpEndToEndCase`` serves Odoo on a port of its own
    (``SPM_E2E_HTTP_PORT``), so its tests run without that option."""
    from e2e_common import HttpEndToEndCase  # noqa: PLC0415 (imports Odoo's test framework)

    if isinstance(getattr(item, "instance", None), HttpEndToEndCase):
        item.config.option.odoo_http = True
