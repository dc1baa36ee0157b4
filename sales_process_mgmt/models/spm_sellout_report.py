"""Sell-out reports 客户进销记录簿: what a dealer or an outlet sold and holds.

A rep counts, at a visit, for each product the customer bought from us, the quantity
sold since the last report and the stock on hand. A report is the rep's record of that
visit: the rep who wrote it may change or delete it while the visit is in progress; once
the visit is checked out only a sales manager may correct it. Reports are refused when
they cannot be true (negative quantities, a day in the future or before the customer was
created, a partner that never confirmed an order with us) and flagged, not refused,
when the stock counted is above what the customer can hold (the last report's stock plus
what it bought from us since, minus what it says it sold) by more than the company's
tolerance: the rep may have missed a report or a delivery from elsewhere.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .spm_manager import is_sales_manager
from .spm_protected_mixin import MANAGER, NOBODY
from .spm_time import spm_today


class SpmSelloutReport(models.Model):
    _name = "spm.sellout.report"
    _description = "Sell-out Report"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "product_id"
    # the customer book: exported by sales managers only (spm_export_guard.py)
    _spm_export_guard = True

    visit_id = fields.Many2one(
        "spm.visit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('user_id', '=', uid), ('state', '=', 'in_progress')]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_from_visit",
        store=True,
        precompute=True,
        index=True,
        help="The commercial partner of the visit.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        compute="_compute_from_visit",
        store=True,
        precompute=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_visit", store=True, precompute=True, index=True
    )
    date = fields.Date(
        compute="_compute_date",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Day of the count: the visit's day; a sales manager may correct it.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    qty_sold = fields.Float(
        string="Sold Since Last Report",
        digits="Product Unit of Measure",
        help="What the customer sold of the product since the previous report.",
    )
    stock_on_hand = fields.Float(digits="Product Unit of Measure")
    inconsistent = fields.Boolean(
        compute="_compute_inconsistent",
        store=True,
        help="The stock counted is above the previous report's stock plus what the "
        "customer bought from us since, minus what it sold, by more than the tolerance.",
    )
    inconsistency_note = fields.Char(
        string="Inconsistency", compute="_compute_inconsistent", store=True
    )

    # A visit counts each product once: a second line would add its sales twice to the
    # ledger. An index, so that it holds for two phones sending the same line at once.
    _sql_constraints = [
        (
            "visit_product_uniq",
            "UNIQUE (visit_id, product_id)",
            "This product is already counted at this visit: correct its line rather than "
            "adding another.",
        )
    ]

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS spm_sellout_report_ledger_idx "
                "ON spm_sellout_report (partner_id, product_id, date, id)"
            )
        )
        return res

    @api.depends("visit_id")
    def _compute_from_visit(self):
        for report in self:
            visit = report.visit_id
            report.partner_id = visit.partner_id.commercial_partner_id
            report.user_id = visit.user_id
            report.company_id = visit.company_id

    @api.depends("visit_id")
    def _compute_date(self):
        for report in self:
            report.date = report.visit_id.visit_date or report.date

    @api.depends("partner_id", "product_id", "date", "qty_sold", "stock_on_hand", "company_id")
    def _compute_inconsistent(self):
        todo = self.filtered(lambda r: r.partner_id and r.product_id and r.date)
        (self - todo).update({"inconsistent": False, "inconsistency_note": False})
        if not todo:
            return
        expected = self.env["spm.sellout.ledger"]._spm_expected_stock(todo)
        for report in todo:
            previous = expected.get(report.id)
            if previous is None:
                report.update({"inconsistent": False, "inconsistency_note": False})
                continue
            ceiling = previous - report.qty_sold
            tolerance = report.company_id.spm_sellout_tolerance
            if report.stock_on_hand > ceiling + tolerance:
                report.inconsistent = True
                report.inconsistency_note = self.env._(
                    "%(stock)s on hand, at most %(ceiling)s expected (last report's stock "
                    "plus bought since, minus %(sold)s sold): a report or a purchase "
                    "elsewhere may be missing.",
                    stock=report.stock_on_hand,
                    ceiling=round(ceiling, 4),
                    sold=report.qty_sold,
                )
            else:
                report.update({"inconsistent": False, "inconsistency_note": False})

    @api.constrains("qty_sold", "stock_on_hand")
    def _check_quantities(self):
        for report in self:
            for fname in ("qty_sold", "stock_on_hand"):
                if report[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(product)s cannot be negative (%(value)s): count "
                            "what the customer sold and holds, zero at least.",
                            field=self._fields[fname]._description_string(self.env),
                            product=report.product_id.display_name,
                            value=report[fname],
                        )
                    )

    @api.constrains("product_id")
    def _check_goods(self):
        """Goods only, on every path (the form's product list shows only them): a
        service or a combo has no stock at the dealer."""
        for report in self.filtered(lambda report: report.product_id.type != "consu"):
            raise ValidationError(
                self.env._(
                    "%(product)s is not goods: sell-out and stock are reported for goods "
                    "the customer holds, not for services or combos.",
                    product=report.product_id.display_name,
                )
            )

    @api.constrains("date", "partner_id")
    def _check_date(self):
        for report in self:
            customer = report.partner_id
            today = spm_today(customer, report.user_id, report.company_id)
            if report.date > today:
                raise ValidationError(
                    self.env._(
                        "A sell-out report of %(customer)s cannot be dated %(date)s, in "
                        "the future: report what was counted, on the day of the count.",
                        customer=customer.display_name,
                        date=report.date,
                    )
                )
            created = customer.create_date and customer.create_date.date()
            if created and report.date < created:
                raise ValidationError(
                    self.env._(
                        "A sell-out report of %(customer)s cannot be dated %(date)s, "
                        "before the customer was created (%(created)s).",
                        customer=customer.display_name,
                        date=report.date,
                        created=created,
                    )
                )

    @api.constrains("partner_id", "company_id")
    def _check_customer(self):
        partners = self.partner_id
        if not partners:
            return
        rows = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    ("partner_id", "child_of", partners.ids),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["partner_id", "company_id"],
            )
        )
        customers = {(partner.commercial_partner_id, company) for partner, company in rows}
        for report in self:
            if (report.partner_id, report.company_id) not in customers:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a customer of %(company)s yet (no confirmed "
                        "sales order): sell-out is reported only for customers who buy "
                        "from us.",
                        partner=report.partner_id.display_name,
                        company=report.company_id.display_name,
                    )
                )

    def _spm_protected_fields(self):
        return {
            "date": MANAGER,
            "partner_id": NOBODY,
            "user_id": NOBODY,
            "company_id": NOBODY,
            "inconsistent": NOBODY,
            "inconsistency_note": NOBODY,
        }

    def _spm_protected_hint(self):
        return self.env._("Record sell-out from the visit at the customer.")

    def _spm_is_manager(self):
        return is_sales_manager(self.env)

    def _spm_check_rep_may_change(self, visits=None):
        """A rep changes own reports, on own visits in progress; managers all."""
        if self._spm_is_manager():
            return
        user = self.env.user
        for report in self.sudo():
            if report.user_id != user:
                raise UserError(
                    self.env._(
                        "The sell-out report of %(product)s at %(customer)s was recorded "
                        "by %(rep)s: only %(rep)s or a sales manager may change it.",
                        product=report.product_id.display_name,
                        customer=report.partner_id.display_name,
                        rep=report.user_id.name,
                    )
                )
        for visit in visits if visits is not None else self.sudo().visit_id:
            if visit.user_id != user:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(rep)s's: record sell-out on your own visits.",
                        visit=visit.display_name,
                        rep=visit.user_id.name,
                    )
                )
            if visit.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: sell-out is recorded and changed "
                        "while the visit is in progress; ask a sales manager to correct it.",
                        visit=visit.display_name,
                        state=visit._spm_state_label(),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the visit of the values, else of the context (as the visit's own tab sends it);
        # a wrong-typed id is refused by the input check
        default = self.env.context.get("default_visit_id")
        visit_ids = {vals.get("visit_id", default) for vals in vals_list}
        visits = self.env["spm.visit"].sudo().browse(i for i in visit_ids if type(i) is int)
        self.browse()._spm_check_rep_may_change(visits)
        return super().create(vals_list)

    def write(self, vals):
        self._spm_check_rep_may_change()
        if "visit_id" in vals and any(report.visit_id.id != vals["visit_id"] for report in self):
            raise UserError(
                self.env._(
                    "A sell-out report stays on the visit that counted it: record a new "
                    "report on the other visit instead."
                )
            )
        return super().write(vals)

    def unlink(self):
        # before the record rules, so that a rep reads why
        self._spm_check_rep_may_change()
        return super().unlink()
