from odoo import fields, models


class ResPartner(models.Model):
    """客户进销记录簿 from the customer's form: its sell-out reports and ledger."""

    _inherit = "res.partner"

    spm_sellout_report_count = fields.Integer(
        string="Sell-out Reports", compute="_compute_spm_sellout_report_count"
    )

    def _compute_spm_sellout_report_count(self):
        counts = dict(
            self.env["spm.sellout.report"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.spm_sellout_report_count = counts.get(partner.commercial_partner_id, 0)

    def action_spm_view_sellout_ledger(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_sellout_ledger_action"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "search_default_group_product": 1,
            "spm_ledger_partner_ids": customer.ids,
        }
        action["display_name"] = self.env._("Ledger of %(customer)s", customer=customer.name)
        return action
