from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common_discount import SpmDiscountCommon


@tagged("post_install", "-at_install")
class TestDiscountFloor(SpmDiscountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.budget_enabled = False

    def test_global_maximum_refuses_a_deeper_discount(self):
        with self.assertRefused(
            ValidationError,
            r'line "Cable": a discount of 25\.00% breaks the floor \(底线\) of the maximum '
            r'discount of 20\.00% set by discount policy "Standard", global maximum',
        ):
            self._order([(self.cable, 1, 25.0)])
        order = self._order([(self.cable, 1, 20.0)])
        self.assertEqual(order.order_line.discount, 20.0)

    def test_child_category_inherits_the_parent_floor(self):
        with self.assertRefused(
            ValidationError,
            r"a discount of 16\.00% .* maximum discount of 15\.00% set by discount policy "
            r'"Standard", product category "Electronics"',
        ):
            self._order([(self.phone, 1, 16.0)])
        self.assertTrue(self._order([(self.phone, 1, 15.0)]))

    def test_product_floor_wins_over_its_category(self):
        with self.assertRefused(
            ValidationError, r'maximum discount of 5\.00% set by .*product "Tablet P10"'
        ):
            self._order([(self.tablet, 1, 6.0)])

    def test_a_category_floor_deeper_than_its_parent_wins(self):
        self.policy.floor_line_ids = [
            Command.create({"categ_id": self.categ_phones.id, "max_discount": 8.0})
        ]
        with self.assertRefused(ValidationError, r'product category "Electronics / Phones"'):
            self._order([(self.phone, 1, 9.0)])

    def test_a_price_cut_counts_as_a_discount(self):
        with self.assertRefused(ValidationError, r"a discount of 30\.00%"):
            self._order([(self.cable, 1, 0.0, 70.0)])

    def test_minimum_margin_on_cost(self):
        self.policy.write({"floor_margin_enabled": True, "min_margin": 30.0})
        self.assertTrue(self._order([(self.phone, 2, 10.0)]))  # margin 33.33 %
        with self.assertRefused(
            ValidationError,
            r"a margin of 29\.41% breaks the floor \(底线\) of the minimum margin of 30\.00% "
            r'set by discount policy "Standard", minimum margin',
        ):
            self._order([(self.phone, 2, 0.0, 850.0)])

    def test_superuser_cannot_break_the_floor(self):
        order = self._order([(self.cable, 1, 10.0)])
        with self.assertRefused(ValidationError, r"a discount of 50\.00%"):
            order.order_line.sudo().write({"discount": 50.0})
        with self.assertRefused(ValidationError, r"a discount of 50\.00%"):
            order.with_user(self.env.ref("base.user_root")).order_line.discount = 50.0

    def test_manager_rpc_style_write_cannot_break_the_floor(self):
        order = self._order([(self.cable, 1, 10.0)])
        with self.assertRefused(ValidationError, r'line "Cable": a discount of 21\.00%'):
            order.with_user(self.manager).write(
                {"order_line": [Command.update(order.order_line.id, {"discount": 21.0})]}
            )
        with self.assertRefused(ValidationError, r'line "Cable": a discount of 40\.00%'):
            order.with_user(self.manager).write(
                {"order_line": [Command.create({"product_id": self.cable.id, "discount": 40.0})]}
            )

    def test_global_discount_line_is_a_discount_on_every_line(self):
        order = self._order([(self.phone, 1, 10.0), (self.cable, 1, 10.0)])
        wizard = self.env["sale.order.discount"].create(
            {"sale_order_id": order.id, "discount_type": "so_discount", "discount_percentage": 0.1}
        )
        # Phone: 1 - 0.9 * 0.9 = 19 % on a 15 % floor.
        with self.assertRefused(
            ValidationError,
            r'line "Phone S1": a discount of 19\.00% .*This includes the order-wide discount '
            r"lines \(10\.00% of the order\)",
        ):
            wizard.action_apply_discount()
        wizard.discount_percentage = 0.05
        wizard.action_apply_discount()
        self.assertEqual(len(order.order_line), 3)

    def test_fixed_amount_discount_line_is_checked_too(self):
        order = self._order([(self.cable, 10, 0.0)])
        wizard = self.env["sale.order.discount"].create(
            {"sale_order_id": order.id, "discount_type": "amount", "discount_amount": 300.0}
        )
        with self.assertRefused(ValidationError, r'line "Cable": a discount of 30\.00%'):
            wizard.action_apply_discount()

    def test_price_cannot_be_cut_after_confirmation(self):
        order = self._order([(self.cable, 1, 10.0)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRefused(ValidationError, r"a discount of 55\.00%"):
            order.order_line.price_unit = 50.0

    def test_confirmation_checks_a_floor_tightened_since_the_quotation(self):
        order = self._order([(self.cable, 1, 18.0)])
        self.policy.max_discount = 10.0
        with self.assertRefused(ValidationError, r"a discount of 18\.00% .* 10\.00%"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_price_above_the_pricelist_is_no_negative_discount(self):
        order = self._order([(self.cable, 2, 20.0, 150.0)])  # net 120 > list 100
        self.assertEqual(order.spm_discount_amount, 0.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_sections_notes_and_down_payments_are_not_discounts(self):
        order = self._order([(self.cable, 1, 0.0)])
        order.order_line = [
            Command.create({"display_type": "line_section", "name": "Accessories"}),
            Command.create({"display_type": "line_note", "name": "Deliver before noon"}),
        ]
        # What the down-payment wizard makes: no product, no quantity.
        self._flow_line(order, is_downpayment=True, price_unit=-80.0, product_uom_qty=0.0)
        self.assertEqual(order.spm_discount_amount, 0.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_flagged_down_payment_line_is_floor_checked(self):
        order = self._order([(self.phone, 1, 0.0)])
        # A line that sells a product is measured, whatever its flag says.
        with self.assertRefused(ValidationError, r"a discount of 99\.00% breaks the floor"):
            self._flow_line(
                order,
                is_downpayment=True,
                product_id=self.cable.id,
                price_unit=1.0,
                product_uom_qty=5.0,
            )

    def test_down_payment_flag_set_by_client_is_refused(self):
        order = self._order([(self.phone, 1, 0.0)])
        for user in (self.rep, self.manager):
            with (
                self.subTest(user=user.login),
                self.assertRefused(AccessError, r"Is a down payment cannot be written directly"),
            ):
                self.env["sale.order.line"].with_user(user).create(
                    self._line_vals(order, is_downpayment=True)
                )
        with self.assertRefused(AccessError, r"Is a down payment cannot be written directly"):
            self.env["sale.order.line"].sudo().create(self._line_vals(order, is_downpayment=True))
        self.assertEqual(len(order.order_line), 1)

    def test_expense_flag_set_by_client_is_refused(self):
        order = self._order([(self.phone, 1, 0.0)])
        for who, as_user in (
            ("rep", order.with_user(self.rep)),
            ("manager", order.with_user(self.manager)),
            ("superuser", order.sudo()),
        ):
            with (
                self.subTest(user=who),
                self.assertRefused(AccessError, r"Is expense cannot be written directly"),
            ):
                as_user.write(
                    {"order_line": [Command.create(self._line_vals(order, is_expense=True))]}
                )
        self.assertEqual(len(order.order_line), 1)

    def test_flag_turned_on_after_confirmation_is_refused(self):
        order = self._order([(self.phone, 5, 0.0)])
        order.action_confirm()
        line = order.order_line
        for fname in ("is_downpayment", "is_expense"):
            for user in (self.rep, self.manager):
                with (
                    self.subTest(field=fname, user=user.login),
                    self.assertRefused(
                        AccessError, r"cannot be written directly: they are set by the buttons"
                    ),
                ):
                    line.with_user(user).write({fname: True, "price_unit": 1.0})
            with (
                self.subTest(field=fname, user="superuser"),
                self.assertRefused(AccessError, r"cannot be written directly"),
            ):
                line.sudo().write({fname: True, "price_unit": 1.0})
        self.assertRecordValues(
            line, [{"is_downpayment": False, "is_expense": False, "price_unit": 1000.0}]
        )

    def test_flag_from_the_context_is_refused(self):
        order = self._order([(self.phone, 1, 0.0)])
        Line = self.env["sale.order.line"].with_user(self.rep)
        for context, vals in (
            ({"default_is_downpayment": True}, {}),
            ({"default_is_expense": True}, {}),
            ({"spm_protected_write": True}, {"is_expense": True}),
            ({"spm_protected_write": "1"}, {"is_downpayment": True}),
        ):
            with (
                self.subTest(context=context),
                self.assertRefused(AccessError, r"cannot be written directly"),
            ):
                Line.with_context(**context).create(self._line_vals(order, **vals))
        self.assertEqual(len(order.order_line), 1)

    def test_flag_through_a_new_order_is_refused(self):
        with self.assertRefused(AccessError, r"Is a down payment cannot be written directly"):
            self.env["sale.order"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "pricelist_id": self.pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.cable.id,
                                "product_uom_qty": 5.0,
                                "price_unit": 1.0,
                                "is_downpayment": True,
                            }
                        )
                    ],
                }
            )

    def test_copied_expense_line_is_measured(self):
        order = self._order([(self.phone, 1, 0.0)])
        self._flow_line(order, is_expense=True, product_id=self.cable.id, price_unit=20.0)
        self.assertEqual(order.spm_discount_amount, 0.0)
        with self.assertRefused(ValidationError, r"a discount of 80\.00% breaks the floor"):
            order.copy()

    def test_flags_are_free_without_a_discount_policy(self):
        self.policy.active = False
        order = self._order([(self.phone, 1, 0.0)])
        line = (
            self.env["sale.order.line"]
            .with_user(self.rep)
            .create(self._line_vals(order, is_downpayment=True))
        )
        self.assertTrue(line.is_downpayment)

    def test_pricelist_discount_is_not_the_reps_discount(self):
        self.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": self.cable.id,
                    "compute_price": "fixed",
                    "fixed_price": 70.0,
                }
            )
        ]
        order = self._order([(self.cable, 1, 20.0)])
        self.assertAlmostEqual(order.order_line.price_unit, 70.0)
        self.assertAlmostEqual(order.spm_discount_amount, 14.0)
        with self.assertRefused(ValidationError, r"a discount of 25\.00%"):
            order.order_line.discount = 25.0

    def test_foreign_currency_order(self):
        foreign = self.env["res.currency"].create({"name": "SPX", "symbol": "X", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "rate": 7.0,
                "name": "2000-01-01",
                "company_id": self.company.id,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": foreign.id}
        )
        order = self._order([(self.phone, 1, 15.0)], pricelist_id=pricelist.id)
        self.assertAlmostEqual(order.order_line.price_unit, 7000.0)
        # 1,050 SPX of discount is 150 in the company currency.
        self.assertAlmostEqual(order.spm_discount_amount, 150.0)
        with self.assertRefused(ValidationError, r"a discount of 16\.00%"):
            order.order_line.discount = 16.0

    def test_no_floor_when_switched_off(self):
        self.policy.floor_discount_enabled = False
        order = self._order([(self.cable, 1, 90.0)])
        self.assertEqual(order.order_line.discount, 90.0)

    def test_other_company_is_not_bound_by_this_policy(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.other_company.id,
                "order_line": [Command.create({"product_id": self.cable.id, "discount": 50.0})],
            }
        )
        self.assertEqual(order.order_line.discount, 50.0)

    def test_bad_policy_percentages_are_refused(self):
        with self.assertRefused(ValidationError, "maximum discount must lie between 0 and 100%"):
            self.policy.max_discount = 120.0
        with self.assertRefused(ValidationError, "already has the active discount policy"):
            self.env["spm.discount.policy"].create({"name": "Second"})

    # The reference price: the pricelist's price when the line was priced ---------------
    def _cable_at(self, price):
        return self.env["product.pricelist"].create(
            {
                "name": f"Cable at {price}",
                "currency_id": self.currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.cable.id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                        }
                    )
                ],
            }
        )

    def test_reference_price_is_the_pricelist_price_of_the_line(self):
        order = self._order([(self.cable, 1, 0.0)], pricelist_id=self._cable_at(70.0).id)
        self.assertAlmostEqual(order.order_line.spm_reference_price, 70.0)
        # 50 on a pricelist price of 70 is a discount of 28.57 %.
        with self.assertRefused(ValidationError, r"a discount of 28\.57%"):
            order.order_line.with_user(self.rep).price_unit = 50.0

    def test_another_pricelist_reprices_the_reference(self):
        order = self._order([(self.cable, 1, 0.0)])
        self.assertAlmostEqual(order.order_line.spm_reference_price, 100.0)
        order.with_user(self.rep).pricelist_id = self._cable_at(70.0)
        self.assertAlmostEqual(order.order_line.spm_reference_price, 70.0)

    def test_update_prices_reprices_the_reference(self):
        order = self._order([(self.cable, 1, 0.0)])
        self.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": self.cable.id,
                    "compute_price": "fixed",
                    "fixed_price": 80.0,
                }
            )
        ]
        # Like the unit price, the reference keeps the price the line was given...
        self.assertAlmostEqual(order.order_line.spm_reference_price, 100.0)
        order.with_user(self.rep).action_update_prices()
        # ...until the salesperson updates the prices.
        self.assertAlmostEqual(order.order_line.price_unit, 80.0)
        self.assertAlmostEqual(order.order_line.spm_reference_price, 80.0)

    def test_reference_price_cannot_be_written(self):
        order = self._order([(self.cable, 1, 0.0)])
        for user in (self.rep, self.manager):
            with (
                self.subTest(user=user.login),
                self.assertRefused(AccessError, r"Reference Price cannot be written directly"),
            ):
                order.order_line.with_user(user).write({"spm_reference_price": 1000.0})
            with (
                self.subTest(user=user.login, create=True),
                self.assertRefused(AccessError, r"Reference Price cannot be written directly"),
            ):
                self.env["sale.order.line"].with_user(user).create(
                    self._line_vals(order, spm_reference_price=1000.0)
                )
        self.assertAlmostEqual(order.order_line.spm_reference_price, 100.0)

    def test_line_priced_before_the_policy_is_measured(self):
        self.policy.active = False
        order = self._order([(self.cable, 1, 0.0)])
        self.assertEqual(order.order_line.spm_reference_price, 0.0)
        self.policy.active = True
        with self.assertRefused(ValidationError, r'line "Cable": a discount of 25\.00%'):
            order.order_line.with_user(self.rep).discount = 25.0

    def test_line_saved_without_reference_price_is_measured(self):
        # Lines of the database from before the reference price was stored.
        order = self._order([(self.cable, 1, 0.0)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET spm_reference_price = NULL WHERE order_id = %s", [order.id]
        )
        self.env.invalidate_all()
        with self.assertRefused(ValidationError, r'line "Cable": a discount of 25\.00%'):
            order.order_line.with_user(self.rep).discount = 25.0
