from datetime import datetime

from odoo import Command, fields

from .common_visit import SpmVisitCommon


class SpmSelloutCommon(SpmVisitCommon):
    """A dealer of the rep, created on 1 December 2025, in a company on Shanghai time,
    with two goods it buys from us; no discount policy and no taxes, so that orders
    confirm plainly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.env["spm.discount.policy"].search([]).active = False
        cls.shop = cls.customer
        # a customer of the company since December (the ORM keeps create_date its own)
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s",
            [datetime(2025, 12, 1, 1, 0), cls.shop.id],
        )
        cls.shop.invalidate_recordset(["create_date"])
        cls.phone, cls.charger = cls.env["product.product"].create(
            [
                {
                    "name": "Phone S1",
                    "type": "consu",
                    "list_price": 1000.0,
                    "taxes_id": [Command.clear()],
                },
                {
                    "name": "Charger",
                    "type": "consu",
                    "list_price": 50.0,
                    "taxes_id": [Command.clear()],
                },
            ]
        )
        cls.Report = cls.env["spm.sellout.report"]
        cls.Ledger = cls.env["spm.sellout.ledger"]

    @classmethod
    def _order(cls, quantities, when, partner=None, **context):
        """A confirmed order of ``{product: qty}`` dated ``when`` (naive UTC)."""
        order = (
            cls.env["sale.order"]
            .with_context(**context)
            .create(
                {
                    "partner_id": (partner or cls.shop).id,
                    "user_id": cls.rep.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in quantities.items()
                    ],
                }
            )
        )
        order.with_context(**context).action_confirm()
        order.date_order = when
        return order

    @classmethod
    def _deliver(cls, picking, quantities, when, backorder=True):
        """Validate ``picking`` with ``{product: qty}`` done at ``when`` (naive UTC);
        the rest goes to a backorder (or is cancelled); returns the backorder."""
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
        picking.move_ids.picked = True
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=[] if backorder else picking.ids
        ).button_validate()
        picking.move_ids.filtered(lambda move: move.state == "done").date = when
        picking.date_done = when
        return picking.backorder_ids

    @classmethod
    def _return(cls, picking, quantities, when):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        return cls._deliver(returned, quantities, when)

    @classmethod
    def _count(cls, when, lines, partner=None, user=None):
        """A visit done at ``when`` (naive UTC) recording ``{product: (sold, stock)}``."""
        visit = cls._done_visit(partner or cls.shop, user or cls.rep, start=when)
        cls.Report.create(
            [
                {
                    "visit_id": visit.id,
                    "product_id": product.id,
                    "qty_sold": sold,
                    "stock_on_hand": stock,
                }
                for product, (sold, stock) in lines.items()
            ]
        )
        return visit

    def _ledger(self, date_from, date_to, partner=None):
        rows = self.Ledger._spm_ledger(partner or self.shop, date_from, date_to)
        return {row["product"]: row for row in rows}

    @staticmethod
    def _date(text):
        return fields.Date.to_date(text)
