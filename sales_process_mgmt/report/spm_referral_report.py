from odoo import fields, models
from odoo.tools import SQL


class SpmReferralReport(models.Model):
    """Word of mouth (口碑宣传): the customers referred by others (``spm_referred_by_id``)
    and what they bought.

    Two kinds of rows, summed by the pivot: one per referred customer (a referral) and
    one per confirmed order of a referred customer (its untaxed amount in the order
    company's currency). Both carry the referring customer, the referral rep (the
    referring customer's salesperson: the rep whose customer spread the word), the
    referred customer's own salesperson, and the referral period (the month the
    referred customer entered the archive)."""

    _name = "spm.referral.report"
    _description = "Referral Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id desc"

    date = fields.Date(string="Referred On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Referred Customer", readonly=True)
    referrer_id = fields.Many2one("res.partner", string="Referred By", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Referral Rep",
        readonly=True,
        help="The salesperson of the referring customer.",
    )
    referred_user_id = fields.Many2one("res.users", string="Customer's Salesperson", readonly=True)
    region_id = fields.Many2one("spm.region", string="Sales Region", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    order_date = fields.Date(readonly=True)
    referral_count = fields.Integer(string="Referrals", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    sale_amount = fields.Monetary(
        string="Sales",
        readonly=True,
        help="Untaxed amount of the confirmed orders, in the company's currency.",
    )

    @property
    def _table_query(self):
        return SQL(
            "%s %s %s UNION ALL %s %s %s",
            self._select_referrals(),
            self._from_referrals(),
            self._where_referred(),
            self._select_orders(),
            self._from_orders(),
            self._where_orders(),
        )

    def _select_common(self):
        """The columns of both kinds of rows that describe the referral."""
        return SQL(
            """
                   referred.id AS partner_id,
                   referrer.id AS referrer_id,
                   referrer.user_id AS user_id,
                   referred.user_id AS referred_user_id,
                   referred.spm_region_id AS region_id,
                   referred.create_date::date AS date
            """
        )

    def _select_referrals(self):
        # even ids for referrals, odd ids for orders: stable ids for the same rows
        return SQL(
            """
            SELECT referred.id * 2 AS id, %s,
                   referred.company_id AS company_id,
                   company.currency_id AS currency_id,
                   NULL::integer AS order_id,
                   NULL::date AS order_date,
                   1 AS referral_count,
                   0 AS order_count,
                   0.0 AS sale_amount
            """,
            self._select_common(),
        )

    def _from_referrals(self):
        return SQL(
            """
            FROM res_partner referred
            JOIN res_partner referred_by ON referred_by.id = referred.spm_referred_by_id
            JOIN res_partner referrer ON referrer.id = referred_by.commercial_partner_id
            LEFT JOIN res_company company ON company.id = referred.company_id
            """
        )

    def _where_referred(self):
        # customers, not their contacts and addresses
        return SQL("WHERE referred.parent_id IS NULL AND referred.active")

    def _select_orders(self):
        return SQL(
            """
            SELECT sale.id * 2 + 1 AS id, %s,
                   sale.company_id AS company_id,
                   company.currency_id AS currency_id,
                   sale.id AS order_id,
                   sale.date_order::date AS order_date,
                   0 AS referral_count,
                   1 AS order_count,
                   sale.amount_untaxed
                       / CASE COALESCE(sale.currency_rate, 0) WHEN 0 THEN 1.0
                              ELSE sale.currency_rate END AS sale_amount
            """,
            self._select_common(),
        )

    def _from_orders(self):
        return SQL(
            """
            FROM sale_order sale
            JOIN res_partner buyer ON buyer.id = sale.partner_id
            JOIN res_partner referred ON referred.id = buyer.commercial_partner_id
            JOIN res_partner referred_by ON referred_by.id = referred.spm_referred_by_id
            JOIN res_partner referrer ON referrer.id = referred_by.commercial_partner_id
            JOIN res_company company ON company.id = sale.company_id
            """
        )

    def _where_orders(self):
        return SQL("%s AND sale.state = 'sale'", self._where_referred())
