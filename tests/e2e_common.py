"""Base class for the end-to-end tests.

Odoo tags test classes only inside ``odoo.addons.*``; these live outside any
addon, so they carry the attributes Odoo's test case expects themselves."""

from odoo.tests import TransactionCase


class EndToEndCase(TransactionCase):
    test_tags = {"standard", "post_install", "e2e"}
    test_module = "sales_process_mgmt_e2e"
    test_class = "EndToEndCase"
    test_sequence = 0
