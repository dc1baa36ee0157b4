from odoo import models

from .spm_export_guard import export_refusal, export_refused


class ResPartner(models.Model):
    """Customers and their contacts are exported by sales managers only, every export
    logged (``spm_export_guard.py``)."""

    _inherit = "res.partner"
    _spm_export_guard = True

    def _spm_guard_copy(self, label):
        """A copy of these contacts taken out of Odoo (``label``: a contact book printed,
        vCards downloaded). For one customer's contacts, it is what the rep takes on the
        visit; for several customers at once, it is an export: refused to reps, logged
        for everyone."""
        customers = self.commercial_partner_id
        if len(customers) < 2:
            return
        refused = export_refused(self.env)
        self._spm_log_exports({self._name: (set(customers.ids), [label])}, refused=refused)
        if refused:
            raise export_refusal(self.env, [self._name])
