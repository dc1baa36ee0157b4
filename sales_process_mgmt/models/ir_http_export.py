from odoo import models

from .spm_export_guard import export_refused


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        # the models whose export the web client does not offer (spm_export_guard.py)
        if export_refused(self.env):
            info["spm_export_refused_models"] = [
                name for name, model in self.env.registry.items() if model._spm_export_guard
            ]
        return info
