"""Delivery 送货 on the picking: the date promised to the customer, whether the delivery
kept it, the rep who answers for it and the visits that delivered it.

The promise (``spm_promised_date``) is the order's commitment date when the order has
one, else the picking's scheduled date as first planned; it is kept from the moment the
picking gets its goods and never follows a later rescheduling (Odoo's ``date_deadline``
is the order date plus the lead time, which would call every delivery with a lead time
of 0 late). A backorder keeps the promise of the delivery it continues.

A delivery is on time (``spm_on_time``) when it is done on or before the day of its
promise. Days are counted on the clock of the warehouse: its address's timezone, else
the company's, else UTC — the day the goods left against the day the customer was
promised, wherever the rep or the manager reading the report happens to be.
"""

from odoo import api, fields, models

from .spm_manager import is_sales_manager
from .spm_protected_mixin import MANAGER, NOBODY
from .spm_time import spm_today


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "spm.protected.mixin", "spm.input.mixin"]

    spm_promised_date = fields.Datetime(
        string="Promised Date",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The order's commitment date, else the scheduled date as first planned: "
        "rescheduling the delivery does not move the promise.",
    )
    spm_on_time = fields.Boolean(
        string="Delivered On Time",
        compute="_compute_spm_on_time",
        store=True,
        help="Done on or before the day of the promised date (warehouse's timezone).",
    )
    spm_user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        compute="_compute_spm_user_id",
        store=True,
        index="btree_not_null",
        help="The order's salesperson, else the customer's; once delivered, the one who "
        "had the delivery then.",
    )
    spm_visit_ids = fields.Many2many(
        "spm.visit",
        "spm_visit_stock_picking_rel",
        "picking_id",
        "visit_id",
        string="Delivery Visits",
        copy=False,
        check_company=True,
    )

    @api.depends("state", "date_done", "spm_promised_date")
    def _compute_spm_on_time(self):
        for picking in self:
            picking.spm_on_time = bool(
                picking.state == "done"
                and picking.date_done
                and picking.spm_promised_date
                and picking._spm_day(picking.date_done)
                <= picking._spm_day(picking.spm_promised_date)
            )

    @api.depends("sale_id.user_id", "partner_id.commercial_partner_id.user_id")
    def _compute_spm_user_id(self):
        for picking in self:
            if picking.state == "done" and picking._origin.spm_user_id:
                # a delivery made counts for the rep who had it, whoever has the customer
                # or the order later (not assigned: the stored value stays)
                continue
            picking.spm_user_id = (
                picking.sale_id.user_id or picking.partner_id.commercial_partner_id.user_id
            )

    def _spm_day(self, moment):
        """The day of ``moment`` (naive UTC) on the warehouse's clock."""
        self.ensure_one()
        return spm_today(self.picking_type_id.warehouse_id.partner_id, self.company_id, now=moment)

    @api.constrains("spm_visit_ids", "partner_id")
    def _check_spm_delivery_visits(self):
        # as the system: a warehouse user reads no visit, yet changes the customer
        self.sudo().spm_visit_ids._spm_check_delivery_pickings()

    def _spm_protected_fields(self):
        # The promise decides whether a delivery was on time: the warehouse reschedules
        # the picking, it does not move the promise; a sales manager may correct it.
        # whether it was on time, whose it is and which visits delivered it follow the
        # promise, the order and the visit's Delivery tab
        return {
            "spm_promised_date": MANAGER,
            "spm_on_time": NOBODY,
            "spm_user_id": NOBODY,
            "spm_visit_ids": MANAGER,
        }

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        for backorder in pickings.filtered("backorder_id"):
            # the rest of a delivery is still owed for the date first promised
            backorder._spm_protected().spm_promised_date = backorder.backorder_id.spm_promised_date
        pickings.filtered("move_ids")._spm_set_promised_date()
        return pickings

    def _spm_set_promised_date(self):
        """The promise of outgoing pickings that have none yet: their order's commitment
        date, else their scheduled date as now planned."""
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing" and not p.spm_promised_date
        ):
            picking._spm_protected().spm_promised_date = (
                picking.sale_id.commitment_date or picking.scheduled_date
            )

    @api.model
    def _spm_my_deliveries_domain(self, user=None):
        """Deliveries ready for the rep to make: outgoing pickings ready (reserved) for
        the rep's customers (the order's salesperson, else the customer's)."""
        return [
            ("picking_type_code", "=", "outgoing"),
            ("state", "=", "assigned"),
            ("spm_user_id", "=", (user or self.env.user).id),
        ]

    @api.model
    def spm_my_deliveries_count(self):
        """The number of deliveries the current user has to make (My Day's banner)."""
        return self.search_count(self._spm_my_deliveries_domain())

    def action_spm_plan_delivery_visit(self):
        """The open delivery visit of this picking (planned or in progress), else a new
        one planned now for its customer, in the visit form: a manager plans it for the
        delivery's rep, a rep for himself (he is the one going)."""
        self.ensure_one()
        self.check_access("read")
        Visit = self.env["spm.visit"]
        visit = Visit.search(
            [
                ("picking_ids", "in", self.ids),
                ("purpose", "=", "delivery"),
                ("state", "in", ("planned", "in_progress")),
            ],
            limit=1,
        )
        if not visit:
            rep = self.spm_user_id if is_sales_manager(self.env) else self.env.user
            visit = Visit.create(
                {
                    # the visit is to the customer; a delivery address becomes its contact
                    "partner_id": self.partner_id.id,
                    "user_id": (rep or self.env.user).id,
                    "company_id": self.company_id.id,
                    "purpose": "delivery",
                    "objective": self.env._("Deliver %(picking)s", picking=self.name),
                    "picking_ids": [fields.Command.link(self.id)],
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "spm.visit",
            "res_id": visit.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class StockMove(models.Model):
    _inherit = "stock.move"

    def _assign_picking(self):
        res = super()._assign_picking()
        # a picking made for moves gets them after its creation: its first planned
        # date is known only now
        self.picking_id._spm_set_promised_date()
        return res
