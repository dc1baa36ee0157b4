"""The export log: who exported how much of the customer book, and when.

Written by the export guard only (``spm_export_guard.py``), never edited nor deleted:
nobody has the right to create, write or delete a line (no access rule grants it), and
every field is protected for everyone, sales managers and the superuser included, so
that not even code run as the superuser changes a line. Sales managers read the log of
their companies; reps do not read it.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .spm_protected_mixin import NOBODY


def guarded_models(env):
    """The names of the models of the customer book (``_spm_export_guard``)."""
    return [name for name in sorted(env.registry) if env.registry[name]._spm_export_guard]


def model_name(env, model):
    """The name of ``model`` (a model name) in ``env``'s language."""
    return env["ir.model"].sudo()._get(model).name or model


# where the guard queues the lines of a transaction (the precommit hooks' data)
PENDING_KEY = "sales_process_mgmt.export_log"


class SpmExportLog(models.Model):
    _name = "spm.export.log"
    _description = "Customer Book Export"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"

    date = fields.Datetime(string="Exported On", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Exported By",
        required=True,
        readonly=True,
        index=True,
        # an audit trail keeps who exported: such a user is archived, not deleted
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    model = fields.Selection(
        selection="_selection_model",
        string="Exported Data",
        required=True,
        readonly=True,
        index=True,
    )
    record_count = fields.Integer(
        string="Records", readonly=True, help="How many records were exported."
    )
    field_names = fields.Text(
        string="Exported Fields", readonly=True, help="The exported columns, one per line."
    )
    refused = fields.Boolean(
        readonly=True,
        help="The user may not export this data: the export was refused and nothing was exported.",
    )

    @api.model
    def _selection_model(self):
        """The models of the customer book (see ``spm_export_guard.py``), by their
        names in the user's language."""
        return [(name, model_name(self.env, name)) for name in guarded_models(self.env)]

    @api.depends("model", "user_id")
    def _compute_display_name(self):
        labels = dict(self._fields["model"]._description_selection(self.env))
        for log in self:
            log.display_name = f"{labels.get(log.model, log.model)}, {log.user_id.sudo().name}"

    def _spm_protected_fields(self):
        # append-only, for everyone: the guard creates lines through _spm_protected()
        return dict.fromkeys(self._fields, NOBODY)

    def _spm_protected_hint(self):
        return self.env._("The export log is an audit trail: it cannot be changed.")

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(
            self.env._("The export log is an audit trail: its lines cannot be deleted.")
        )

    @api.model
    def _spm_log_values(self, model, columns, *, uid, company_id, count, refused=False):
        """The values of the line of ``count`` records of ``model`` exported (or
        refused) by the user ``uid`` in the company ``company_id``, with ``columns``."""
        return {
            "date": fields.Datetime.now(),
            "user_id": uid,
            "company_id": company_id,
            "model": model,
            "record_count": count,
            "field_names": "\n".join(columns),
            "refused": refused,
        }

    @api.model
    def _spm_write_pending(self):
        """Write the lines the guard queued in this transaction (a precommit hook)."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, {})
        vals_list = [
            self._spm_log_values(
                model, columns, uid=uid, company_id=company_id, count=len(ids), refused=refused
            )
            for (uid, company_id, model, refused), (ids, columns) in pending.items()
        ]
        if vals_list:
            self.sudo()._spm_protected().create(vals_list)
            self.env.flush_all()
