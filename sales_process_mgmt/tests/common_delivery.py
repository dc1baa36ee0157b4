from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common_visit import SHOP, SpmVisitCommon

# a tiny signature, as the signature widget sends it (base64 PNG)
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9a"
    "wAAAABJRU5ErkJggg=="
)


class SpmDeliveryCommon(SpmVisitCommon):
    """A stocked product in the company's one-step warehouse (Shanghai time), orders of
    the visit commons' customer sold by the rep, a rep who is also an Inventory user
    and a warehouse user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spm.discount.policy"].search([]).active = False
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.delivery_steps = "ship_only"
        cls.warehouse.partner_id.tz = "Asia/Shanghai"
        cls.product = cls.env["product.product"].create(
            {
                "name": "Router R5",
                "type": "consu",
                "is_storable": True,
                "list_price": 400.0,
                "standard_price": 220.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000
        )
        cls.rep_stock = new_test_user(
            cls.env,
            login="spm_rep_stock",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
            tz="Asia/Shanghai",
        )
        cls.warehouse_user = new_test_user(
            cls.env,
            login="spm_warehouse_user",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Jincheng Trading", "is_company": True, "user_id": cls.rep.id}
        )

    @classmethod
    def _order(cls, partner=None, qty=10, commitment_date=None, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": (user or cls.rep).id,
                "commitment_date": commitment_date,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _picking(cls, **kwargs):
        return cls._order(**kwargs).picking_ids

    @classmethod
    def _delivery_visit(cls, pickings, user=None, checked_in=True, **vals):
        visit = cls._visit(
            user=user,
            start=datetime.now(),
            purpose="delivery",
            picking_ids=[Command.set(pickings.ids)],
            **vals,
        )
        if checked_in:
            visit.with_user(user or cls.rep).action_check_in(*SHOP)
        return visit

    @classmethod
    def _validate(cls, pickings, user=None):
        """Validate as the warehouse does (all reserved quantities delivered)."""
        return pickings.with_user(user or cls.warehouse_user).button_validate()
