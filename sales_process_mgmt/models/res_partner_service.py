"""After-sales service (售后服务): the service requests of a customer, from its form."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    spm_service_request_count = fields.Integer(
        string="Service Requests", compute="_compute_spm_service_request_count"
    )

    def _compute_spm_service_request_count(self):
        """The requests of each customer and of its contacts that the user may read."""
        customers = self.commercial_partner_id
        counts = {}
        for partner, count in self.env["spm.service.request"]._read_group(
            [("partner_id.commercial_partner_id", "in", customers.ids)],
            ["partner_id"],
            ["__count"],
        ):
            customer = partner.commercial_partner_id
            counts[customer] = counts.get(customer, 0) + count
        for partner in self:
            partner.spm_service_request_count = counts.get(partner._origin.commercial_partner_id, 0)

    def action_spm_view_service_requests(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_service_request_action"
        )
        action["domain"] = [("partner_id", "child_of", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action
