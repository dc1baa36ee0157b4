"""End-to-end tests run by pytest-odoo against a database where the addon is
installed (``make test`` passes --odoo-database and --odoo-config)."""

import logging


class _FrameworkImportNotice(logging.Filter):
    """pytest-odoo imports Odoo's test framework before it can tell Odoo that tests
    run, and Odoo logs that import as an error; it is the expected way here."""

    def filter(self, record):
        return "Importing test framework" not in record.getMessage()


logging.getLogger("odoo.tests.common").addFilter(_FrameworkImportNotice())
