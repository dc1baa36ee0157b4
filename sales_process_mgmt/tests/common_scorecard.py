from datetime import date, datetime

from odoo import Command
from odoo.tests import freeze_time

from .common import SpmCommon

NOVEMBER = date(2026, 11, 1)
# Every duty at its line; weights sum to 100.
DUTY_LINES = [
    ("sales", 10000.0, 30.0),
    ("dso", 10.0, 15.0),
    ("collection_rate", 80.0, 15.0),
    ("margin", 30.0, 10.0),
    ("funnel", 10000.0, 10.0),
    ("new_customers", 2.0, 10.0),
    ("satisfaction", 4.0, 10.0),
]


class SpmScorecardCommon(SpmCommon):
    """The East team (led by ``leader``; the rep and the colleague are its members, on
    Shanghai time), a product sold at 100 that costs 60 (40 % margin), an old customer
    (first order in October) and two new ones; no discount policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spm.discount.policy"].search([]).active = False
        cls.leader = cls._new_user("spm_leader", "sales_team.group_sale_salesman", cls.company)
        (cls.rep | cls.rep_colleague | cls.leader).tz = "Asia/Shanghai"
        cls.team = cls.env["crm.team"].create(
            {
                "name": "East",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "crm_team_member_ids": [
                    Command.create({"user_id": cls.rep.id}),
                    Command.create({"user_id": cls.rep_colleague.id}),
                ],
            }
        )
        cls.team_west = cls.env["crm.team"].create({"name": "West", "company_id": cls.company.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Handset H1", "type": "consu", "list_price": 100.0, "standard_price": 60.0}
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Old Customer", "is_company": True})
        cls.new_customer = Partner.create({"name": "New Customer", "is_company": True})
        cls.new_customer_2 = Partner.create({"name": "Second New Customer", "is_company": True})
        cls._order(cls.customer, 1, datetime(2026, 10, 15, 4, 0))

    @classmethod
    def _order(cls, partner, qty, when, *, user=None, pricelist=None, confirm=True):
        """An order of ``qty`` handsets at 100 (or the ``pricelist``'s price), sold by
        the rep (or ``user``) and confirmed at ``when`` (naive UTC)."""
        values = {
            "partner_id": partner.id,
            "user_id": (user or cls.rep).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": qty,
                        "price_unit": 100.0,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
        if pricelist:
            values["pricelist_id"] = pricelist.id
        with freeze_time(when):
            order = cls.env["sale.order"].create(values)
            if confirm:
                order.action_confirm()
        return order

    @classmethod
    def _target(cls, owner, lines=DUTY_LINES, period="month", date_from=NOVEMBER, **values):
        """A target of ``owner`` (a rep or a team) with ``lines`` (duty, target, weight)."""
        key = "team_id" if owner._name == "crm.team" else "user_id"
        return cls.env["spm.rep.target"].create(
            {
                key: owner.id,
                "period": period,
                "date_from": date_from,
                "line_ids": [
                    Command.create({"duty": duty, "target": target, "weight": weight})
                    for duty, target, weight in lines
                ],
                **values,
            }
        )

    def _card(self, user, duty, env=None, date_from=NOVEMBER):
        """The scorecard row of ``user`` for ``duty`` in the period (read as ``env``)."""
        env = env or self.env
        env.flush_all()
        return env["spm.rep.scorecard"].search(
            [("user_id", "=", user.id), ("duty", "=", duty), ("date_from", "=", date_from)]
        )
