from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_visit import SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitOrder(SpmVisitCommon):
    """Order on the visit (访销): the customer's products of the last 90 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product_vals = {"type": "consu", "taxes_id": [Command.clear()]}
        cls.phone, cls.tablet, cls.cable, cls.charger = cls.env["product.product"].create(
            [
                dict(product_vals, name="Phone S1", list_price=1000.0),
                dict(product_vals, name="Tablet P10", list_price=2000.0),
                dict(product_vals, name="Cable", list_price=100.0),
                dict(product_vals, name="Charger", list_price=50.0),
            ]
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Outlets",
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.phone.id,
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                        }
                    )
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Outlet buyer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Outlet", "is_company": True}
        )
        now = fields.Datetime.now()
        cls._sold(cls.customer, [(cls.phone, 5), (cls.cable, 10)], now - timedelta(days=30))
        cls._sold(cls.buyer, [(cls.phone, 3)], now - timedelta(days=10))
        cls._sold(cls.customer, [(cls.tablet, 2)], now - timedelta(days=100))
        cls._sold(cls.other_customer, [(cls.tablet, 7)], now - timedelta(days=5))
        cls._sold(cls.customer, [(cls.charger, 4)], now - timedelta(days=2), confirm=False)
        cls.visit = cls._visit()
        cls.visit.with_user(cls.rep).action_check_in()

    @classmethod
    def _sold(cls, partner, lines, date_order, confirm=True, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.rep_colleague).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = date_order
        return order

    def _wizard_form(self, visit=None, user=None):
        return Form(
            self.env["spm.visit.order.wizard"]
            .with_user(user or self.rep)
            .with_context(default_visit_id=(visit or self.visit).id)
        )

    def _lines(self, wizard):
        return {line.product_id: line for line in wizard.line_ids}

    def test_lines_are_the_customers_products_of_the_last_90_days(self):
        wizard = self._wizard_form().save()
        lines = self._lines(wizard)
        # the tablet was bought 100 days ago, or by another customer; the charger is
        # only quoted
        self.assertEqual(set(lines), {self.phone, self.cable})
        self.assertEqual(wizard.line_ids[0].product_id, self.phone)  # most recent first

    def test_last_quantity_is_that_of_the_last_order(self):
        lines = self._lines(self._wizard_form().save())
        self.assertEqual(lines[self.phone].last_qty, 3)  # ordered by the buyer 10 days ago
        self.assertEqual(
            lines[self.phone].last_order_date, (fields.Datetime.now() - timedelta(days=10)).date()
        )
        self.assertEqual(lines[self.cable].last_qty, 10)
        self.assertFalse(any(wizard_line.quantity for wizard_line in lines.values()))

    def test_prices_are_the_customers_pricelist_prices(self):
        lines = self._lines(self._wizard_form().save())
        self.assertEqual(lines[self.phone].price_unit, 900.0)
        self.assertEqual(lines[self.cable].price_unit, 100.0)

    def test_the_quotation_is_linked_to_the_visit_with_the_typed_quantities(self):
        form = self._wizard_form()
        with form.line_ids.edit(0) as line:
            line.quantity = 4
        wizard = form.save()
        action = wizard.action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.spm_visit_id, self.visit)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.origin, self.visit.name)
        self.assertEqual(order.order_line.product_id, self.phone)  # the cable had no quantity
        self.assertEqual(order.order_line.product_uom_qty, 4)
        # priced by Odoo (a pricelist discount may show as the line discount)
        self.assertEqual(order.order_line.price_subtotal, 3600.0)
        self.assertIn(order, self.visit.sale_order_ids)
        self.assertIn(order.name, self.visit.message_ids[0].body)

    def test_a_product_is_added_by_searching_it(self):
        form = self._wizard_form()
        form.add_product_id = self.tablet
        self.assertFalse(form.add_product_id)
        with form.line_ids.edit(2) as line:
            self.assertEqual(line.product_id, self.tablet)
            self.assertEqual(line.price_unit, 2000.0)
            self.assertFalse(line.last_qty)
            line.quantity = 1
        form.add_product_id = self.tablet  # already there: not twice
        self.assertEqual(len(form.line_ids), 3)
        order = self.env["sale.order"].browse(form.save().action_create_quotation()["res_id"])
        self.assertEqual(order.order_line.product_id, self.tablet)

    def test_no_quantity_typed_is_refused(self):
        wizard = self._wizard_form().save()
        with self.assertRaisesRegex(UserError, "Type the quantity of at least one product"):
            wizard.action_create_quotation()

    def test_a_negative_quantity_is_refused(self):
        form = self._wizard_form()
        with form.line_ids.edit(0) as line:
            line.quantity = -2
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            form.save()

    def test_a_product_of_another_company_is_refused(self):
        foreign = self.env["product.product"].create(
            {"name": "Other Co gadget", "company_id": self.other_company.id}
        )
        wizard = self._wizard_form().save()
        with self.assertRaisesRegex(ValidationError, "belongs to Other Co"):
            wizard.write({"line_ids": [Command.create({"product_id": foreign.id, "quantity": 1})]})

    def test_a_product_that_cannot_be_sold_is_refused(self):
        self.charger.sale_ok = False
        wizard = self._wizard_form().save()
        with self.assertRaisesRegex(ValidationError, "cannot be sold"):
            wizard.write(
                {"line_ids": [Command.create({"product_id": self.charger.id, "quantity": 1})]}
            )

    def test_another_reps_visit_is_refused(self):
        with self.assertRaises(AccessError):
            self._wizard_form(user=self.rep_colleague)
        with self.assertRaises(AccessError):
            self.env["spm.visit.order.wizard"].with_user(self.rep_colleague).create(
                {"visit_id": self.visit.id}
            )

    def test_a_cancelled_visit_is_refused(self):
        visit = self._visit()
        visit.action_cancel()
        with self.assertRaisesRegex(UserError, "take the order on an open visit"):
            self._wizard_form(visit=visit)

    def test_bad_input_is_refused_with_the_field_named(self):
        wizard = self._wizard_form().save()
        with self.assertRaisesRegex(ValidationError, "Qty|Quantity"):
            wizard.line_ids[0].write({"quantity": "lots"})
        with self.assertRaisesRegex(ValidationError, "Visit"):
            self.env["spm.visit.order.wizard"].with_user(self.rep).create({"visit_id": "one"})

    def test_the_history_costs_the_same_queries_for_5_and_30_products(self):
        products = self.env["product.product"].create(
            [{"name": f"History product {i}", "type": "consu"} for i in range(30)]
        )
        customers = self.env["res.partner"].create(
            [{"name": "Five products", "is_company": True}, {"name": "Thirty", "is_company": True}]
        )
        now = fields.Datetime.now()
        for customer, count in zip(customers, (5, 30), strict=True):
            self._sold(customer, [(product, 2) for product in products[:count]], now)
        Wizard = self.env["spm.visit.order.wizard"]
        counts = []
        for customer, count in zip(customers, (5, 30), strict=True):
            visit = self._visit(partner=customer)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            lines = Wizard._spm_history_lines(visit)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(lines), count)
        self.assertEqual(counts[0], counts[1])
