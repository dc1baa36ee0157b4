"""The discount floor is judged on the cost at confirmation, never again at delivery:
sale_stock_margin rewrites a line's cost (``purchase_price``) when its goods leave, and a
warehouse user validating the delivery is never refused by the floor."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_delivery import SIGNATURE, SpmDeliveryCommon


@tagged("post_install", "-at_install")
class TestDeliveryDiscountFloor(SpmDeliveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.categ_id = cls.env["product.category"].create(
            {"name": "Routers (average cost)", "property_cost_method": "average"}
        )
        cls.policy = cls.env["spm.discount.policy"].create(
            {
                "name": "Margin floor",
                "floor_margin_enabled": True,
                "min_margin": 30.0,
                "floor_discount_enabled": True,
                "max_discount": 10.0,
            }
        )

    def test_floor_is_active_at_confirmation(self):
        self.product.standard_price = 390.0
        with self.assertRaises(UserError):
            self._order()

    def test_cost_raised_after_confirmation_does_not_refuse_the_delivery(self):
        order = self._order()
        line = order.order_line
        self.assertEqual(line.purchase_price, 220.0)
        # the cost rises above the floor's margin after the order was confirmed
        self.product.standard_price = 390.0
        picking = order.picking_ids
        self.assertIs(self._validate(picking), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(line.qty_delivered, 10)
        # sale_stock_margin measured the cost of the goods delivered
        self.assertEqual(line.purchase_price, 390.0)

    def test_partial_delivery_and_backorder_are_not_refused(self):
        order = self._order()
        self.product.standard_price = 390.0
        picking = order.picking_ids
        picking.move_ids.quantity = 4
        action = self._validate(picking)
        Form.from_action(self.env(user=self.warehouse_user), action).save().process()
        self.assertEqual(picking.state, "done")
        backorder = picking.backorder_ids
        self._validate(backorder)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10)

    def test_delivery_validated_from_the_visit_is_not_refused(self):
        order = self._order()
        self.product.standard_price = 390.0
        visit = self._delivery_visit(order.picking_ids, user=self.rep_stock).with_user(
            self.rep_stock
        )
        visit.delivery_signature = SIGNATURE
        self.assertIs(visit.action_spm_validate_delivery(), True)
        self.assertEqual(order.picking_ids.state, "done")
