from contextlib import contextmanager

from odoo import Command
from odoo.tests import new_test_user

from .common import SpmCommon


class SpmDiscountCommon(SpmCommon):
    """A company policy with a floor (global, category, product) and a monthly budget;
    products without taxes so that prices read plainly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sale.group_discount_per_so_line")
        cls.currency = cls.company.currency_id
        cls.categ_electronics = cls.env["product.category"].create({"name": "Electronics"})
        cls.categ_phones = cls.env["product.category"].create(
            {"name": "Phones", "parent_id": cls.categ_electronics.id}
        )
        cls.categ_misc = cls.env["product.category"].create({"name": "Misc"})
        product_vals = {"type": "consu", "taxes_id": [Command.clear()]}
        cls.phone, cls.tablet, cls.cable = cls.env["product.product"].create(
            [
                dict(
                    product_vals,
                    name="Phone S1",
                    categ_id=cls.categ_phones.id,
                    list_price=1000.0,
                    standard_price=600.0,
                ),
                dict(
                    product_vals,
                    name="Tablet P10",
                    categ_id=cls.categ_electronics.id,
                    list_price=2000.0,
                    standard_price=1500.0,
                ),
                dict(
                    product_vals,
                    name="Cable",
                    categ_id=cls.categ_misc.id,
                    list_price=100.0,
                    standard_price=20.0,
                ),
            ]
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Retail", "currency_id": cls.currency.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Jincheng Trading"})
        cls.team = cls.env["crm.team"].create({"name": "East Team", "company_id": cls.company.id})
        # Policies of the database (demo data) give way to the one under test.
        cls.env["spm.discount.policy"].search([]).active = False
        cls.policy = cls.env["spm.discount.policy"].create(
            {
                "name": "Standard",
                "floor_discount_enabled": True,
                "max_discount": 20.0,
                "floor_line_ids": [
                    Command.create({"categ_id": cls.categ_electronics.id, "max_discount": 15.0}),
                    Command.create(
                        {"product_tmpl_id": cls.tablet.product_tmpl_id.id, "max_discount": 5.0}
                    ),
                ],
                "budget_enabled": True,
                "budget_period": "month",
                "budget_default_amount": 500.0,
                "budget_ids": [Command.create({"user_id": cls.rep.id, "amount": 1000.0})],
            }
        )
        cls.approver = new_test_user(
            cls.env,
            login="spm_discount_approver",
            groups="sales_team.group_sale_salesman,sales_process_mgmt.group_spm_discount_approver",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    @classmethod
    def _many_products(cls, prefix, count, cost):
        """``count`` untaxed products named ``prefix`` and a number, spread over the
        three categories, list price 100 + i, cost ``cost(i)``."""
        categories = cls.categ_electronics | cls.categ_phones | cls.categ_misc
        return cls.env["product.product"].create(
            [
                {
                    "name": f"{prefix} {i}",
                    "type": "consu",
                    "categ_id": categories[i % 3].id,
                    "list_price": 100.0 + i,
                    "standard_price": cost(i),
                    "taxes_id": [Command.clear()],
                }
                for i in range(count)
            ]
        )

    @classmethod
    def _order(cls, lines, user=None, **vals):
        """Create an order of ``lines``: (product, qty, discount[, price_unit]) tuples."""
        user = user or cls.rep
        line_cmds = []
        for line in lines:
            product, qty, discount = line[:3]
            line_vals = {"product_id": product.id, "product_uom_qty": qty, "discount": discount}
            if len(line) > 3:
                line_vals["price_unit"] = line[3]
            line_cmds.append(Command.create(line_vals))
        return cls.env["sale.order"].create(
            dict(
                {
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "pricelist_id": cls.pricelist.id,
                    "order_line": line_cmds,
                },
                **vals,
            )
        )

    def _line_vals(self, order, **vals):
        return dict(
            {
                "order_id": order.id,
                "product_id": self.cable.id,
                "product_uom_qty": 5.0,
                "price_unit": 1.0,
            },
            **vals,
        )

    def _flow_line(self, order, **vals):
        """A line as Odoo's down-payment or expense flow writes it (through the
        protected-fields bypass those flows use)."""
        return (
            self.env["sale.order.line"]
            ._spm_protected()
            .create(dict({"order_id": order.id, "name": "Flow line"}, **vals))
        )

    def _ledger(self, user=None):
        return self.env["spm.discount.ledger"].search([("user_id", "=", (user or self.rep).id)])

    @contextmanager
    def assertRefused(self, exception, regex):
        """Like assertRaisesRegex, rolling back what the refused operation wrote."""
        with self.assertRaisesRegex(exception, regex), self.cr.savepoint():
            yield
