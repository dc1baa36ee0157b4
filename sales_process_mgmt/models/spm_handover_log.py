"""The handover log: who handed whose book of business to whom, when and why, with one
line per record moved (model, record, field, old → new value), so that a handover can be
audited. Also the user archived without a handover, on a manager's explicit word.

Append-only: written by the handover wizard and the archive flow alone; nobody changes or
deletes a log or one of its lines, managers and the superuser included.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .spm_protected_mixin import NOBODY

LOG_KINDS = [
    ("handover", "Handover"),
    ("archive_without_handover", "Archived without Handover"),
]
# What a log line records: a kind of record handed over, or the followers and scheduled
# activities moved with them.
MOVED_KINDS = [
    ("customers", "Customers"),
    ("regions", "Regions"),
    ("opportunities", "Open Opportunities"),
    ("quotations", "Quotations"),
    ("visits", "Planned Visits"),
    ("collection_tasks", "Open Collection Tasks"),
    ("pop_deployments", "POP Deployments"),
    ("service_requests", "Open Service Requests"),
    ("campaigns", "Campaigns"),
    ("followers", "Followers"),
    ("activities", "Scheduled Activities"),
]


class SpmHandoverAudit(models.AbstractModel):
    """The log and its lines: every field of their own written at creation alone, by the
    handover flows through ``_spm_protected()``, and no row ever deleted."""

    _name = "spm.handover.audit"
    _description = "Handover Audit Record"
    _inherit = ["spm.protected.mixin"]
    _spm_audit_fields = ()

    def _spm_protected_fields(self):
        return dict.fromkeys(self._spm_audit_fields, NOBODY)

    def _spm_protected_hint(self):
        return self.env._(
            "The handover log is an audit record: nobody changes or deletes it, managers included."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self._spm_protected_hint())


class SpmHandoverLog(models.Model):
    _name = "spm.handover.log"
    _description = "Handover Log"
    _inherit = ["spm.handover.audit", "mail.thread", "mail.activity.mixin", "spm.input.mixin"]
    _order = "id desc"
    _spm_audit_fields = (
        "name", "kind", "user_id", "from_user_id", "to_user_id", "company_id", "reason",
        "scope", "line_ids", "partner_count",
    )  # fmt: skip

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(LOG_KINDS, required=True, default="handover", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", required=True, readonly=True, index=True
    )
    from_user_id = fields.Many2one(
        "res.users", string="From Rep", required=True, readonly=True, index=True
    )
    to_user_id = fields.Many2one("res.users", string="To Rep", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    reason = fields.Text(required=True, readonly=True)
    scope = fields.Char(
        readonly=True, help="What was handed over: all, regions, classes, customers."
    )
    line_ids = fields.One2many("spm.handover.log.line", "log_id", string="Records Moved")
    line_count = fields.Integer(string="Number of Records Moved", compute="_compute_line_count")
    partner_count = fields.Integer(string="Customers Moved", readonly=True)

    @api.depends("from_user_id", "to_user_id", "create_date", "kind")
    def _compute_name(self):
        for log in self:
            log.name = self.env._(
                "%(from_rep)s → %(to_rep)s",
                from_rep=log.from_user_id.name or "",
                to_rep=log.to_user_id.name or dict(LOG_KINDS)[log.kind],
            )

    def _compute_line_count(self):
        counts = dict(
            self.env["spm.handover.log.line"]._read_group(
                [("log_id", "in", self.ids)], ["log_id"], ["__count"]
            )
        )
        for log in self:
            log.line_count = counts.get(log, 0)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        return []

    def action_open_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Records Moved"),
            "res_model": "spm.handover.log.line",
            "view_mode": "list,kanban",
            "domain": [("log_id", "=", self.id)],
            "context": {"search_default_groupby_model": 1},
        }


class SpmHandoverLogLine(models.Model):
    _name = "spm.handover.log.line"
    _description = "Handover Log Line"
    _inherit = ["spm.handover.audit", "spm.input.mixin"]
    _order = "log_id desc, id"
    _spm_audit_fields = (
        "log_id", "company_id", "kind", "res_model", "res_id", "res_name", "field_name",
        "old_value", "new_value",
    )  # fmt: skip

    log_id = fields.Many2one(
        "spm.handover.log", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    kind = fields.Selection(MOVED_KINDS, required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    field_name = fields.Char(string="Field", required=True, readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
