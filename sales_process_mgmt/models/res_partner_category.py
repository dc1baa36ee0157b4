from odoo import models


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    def unlink(self):
        # Collection rules may name the tags: their cached scopes change.
        self.env.registry.clear_cache()  # spm.collection.rule._rule_scopes
        return super().unlink()
