from odoo import models

from .spm_export_guard import export_refused
from .spm_export_log import guarded_models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        # the models whose export the web client does not offer (spm_export_guard.py)
        if export_refused(self.env):
            info["spm_export_refused_models"] = guarded_models(self.env)
        return info
