"""A rep's book of business on the user form, and no rep archived with open work left.

Archiving a user who still owns open work (what a handover would move: customers,
opportunities, quotations, planned visits, open tasks, deployments, requests, campaigns)
opens the handover instead; archiving without one is the manager's explicit choice in the
handover wizard, which logs it. Only the handover itself, and that choice, archive such a
user (the addon's protected flow: no context key a client sends does).
"""

from odoo import fields, models
from odoo.exceptions import RedirectWarning

from .spm_protected_mixin import is_protected


class ResUsers(models.Model):
    _inherit = "res.users"

    spm_book_count = fields.Integer(
        string="Book of Business", compute="_compute_spm_book_count", compute_sudo=True
    )

    def _compute_spm_book_count(self):
        counts = dict(
            self.env["res.partner"]
            .with_context(active_test=False)
            ._read_group([("user_id", "in", self.ids)], ["user_id"], ["__count"])
        )
        for user in self:
            user.spm_book_count = counts.get(user, 0)

    def _spm_open_work(self):
        """``{kind: records}`` of the user's open work, as a handover of all would move it."""
        self.ensure_one()
        return self.env["spm.handover.wizard"].new({"from_user_id": self.id})._spm_collect()

    def write(self, vals):
        if "active" in vals and not vals["active"] and not is_protected(self.env):
            self._spm_check_no_open_work()
        return super().write(vals)

    def _spm_check_no_open_work(self):
        for user in self.filtered("active"):
            work = user._spm_open_work()
            total = sum(len(records) for records in work.values())
            if not total:
                continue
            action = self.env["ir.actions.actions"]._for_xml_id(
                "sales_process_mgmt.spm_handover_wizard_action"
            )
            action["context"] = {"default_from_user_id": user.id, "spm_archive": True}
            raise RedirectWarning(
                self.env._(
                    "%(user)s still owns open work (%(count)s records: customers, "
                    "opportunities, quotations, planned visits, tasks...). Hand it over to "
                    "another rep first; a sales manager may archive without a handover from "
                    "the handover, which logs it.",
                    user=user.name,
                    count=total,
                ),
                action,
                self.env._("Hand Over"),
            )

    def action_spm_open_book(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book of Business of %(rep)s", rep=self.name),
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": [("user_id", "=", self.id)],
            "context": {"active_test": False},
        }

    def action_spm_hand_over(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_process_mgmt.spm_handover_wizard_action"
        )
        action["context"] = {"default_from_user_id": self.id}
        return action
