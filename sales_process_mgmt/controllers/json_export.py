from odoo.http import request

from odoo.addons.web.controllers.json import WebJsonController

from ..models.spm_export_guard import export_refusal, export_refused


class SpmWebJsonController(WebJsonController):
    """Odoo's ``/json`` route (a menu's records as JSON, for users with the export right)
    exports too: a rep is refused it on the customer book, and the attempt is logged
    (``spm_export_guard.py``)."""

    def _get_action(self, subpath):
        action, context, eval_context, record_id = super()._get_action(subpath)
        model = action.res_model
        records = request.env[model]
        if records._spm_export_guard and export_refused(request.env):
            records._spm_log_exports({model: (set(), [request.httprequest.path])}, refused=True)
            raise export_refusal(request.env, [model])
        return action, context, eval_context, record_id
