from odoo import models


class ResPartner(models.Model):
    """Customers and their contacts are exported by sales managers only, every export
    logged (``spm_export_guard.py``)."""

    _inherit = "res.partner"
    _spm_export_guard = True
