from odoo import models


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    def action_print_customer_statement(self):
        """The statement wizard for the visited customer (last month by default)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_customer_statement_wizard_action"
        )
        action["context"] = {
            "default_partner_ids": self.partner_id.commercial_partner_id.ids,
        }
        return action
