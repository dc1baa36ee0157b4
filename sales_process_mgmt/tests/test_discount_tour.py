from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestDiscountTour(SpmPhoneTourCase):
    def test_manager_approves_a_discount_on_a_phone(self):
        rep = new_test_user(
            self.env, login="spm_tour_discount_rep", groups="sales_team.group_sale_salesman"
        )
        new_test_user(
            self.env, login="spm_tour_discount_manager", groups="sales_team.group_sale_manager"
        )
        self.env["spm.discount.policy"].search([]).active = False
        self.env["spm.discount.policy"].create(
            {"name": "Tour policy", "budget_enabled": True, "budget_default_amount": 0.0}
        )
        product = self.env["product.product"].create(
            {"name": "Tour Phone", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Tour Customer"}).id,
                "user_id": rep.id,
                "order_line": [Command.create({"product_id": product.id, "discount": 10.0})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "to_approve")
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_sale_order_to_approve_action/{order.id}",
            "spm_discount_approval_tour",
            login="spm_tour_discount_manager",
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.spm_discount_approval, "approved")
