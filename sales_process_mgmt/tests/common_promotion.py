from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command

from .common_visit import SpmVisitCommon

# A counter across town from the Nanjing Road outlet
COUNTER = (31.195, 121.437)


class SpmPromotionCommon(SpmVisitCommon):
    """A campaign of ten days in March 2026 (Shanghai time) at two outlets of the rep
    for two products, planned by the manager; products without taxes and no discount
    policy, so that amounts and margins read plainly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.env["spm.discount.policy"].search([]).active = False
        product_vals = {"type": "consu", "taxes_id": [Command.clear()]}
        cls.phone, cls.tablet, cls.cable = cls.env["product.product"].create(
            [
                dict(product_vals, name="Phone S1", list_price=1000.0, standard_price=600.0),
                dict(product_vals, name="Tablet P10", list_price=2000.0, standard_price=1500.0),
                dict(product_vals, name="Cable", list_price=100.0, standard_price=20.0),
            ]
        )
        cls.counter = cls.env["res.partner"].create(
            {
                "name": "Xujiahui Counter",
                "is_company": True,
                "spm_archive_type": "outlet",
                "user_id": cls.rep.id,
                "spm_region_id": cls.region_east.id,
                "partner_latitude": COUNTER[0],
                "partner_longitude": COUNTER[1],
            }
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Starlight Ads", "is_company": True})
        cls.Campaign = cls.env["spm.promotion.campaign"]
        cls.campaign = cls.Campaign.with_user(cls.manager).create(
            {
                "name": "Spring Trade-in",
                "region_ids": [Command.set(cls.region_east.ids)],
                "partner_ids": [Command.set((cls.customer | cls.counter).ids)],
                "product_ids": [Command.set((cls.phone | cls.tablet).ids)],
                "date_start": date(2026, 3, 1),
                "date_end": date(2026, 3, 10),
                "user_id": cls.manager.id,
                "target_amount": 20000.0,
                "budget_amount": 5000.0,
            }
        )

    @classmethod
    def _run(cls, campaign=None):
        """The campaign approved by the manager during its period: running."""
        campaign = campaign or cls.campaign
        with freeze_time("2026-03-02 04:00:00"):
            campaign.with_user(cls.manager).action_approve()
        return campaign

    @classmethod
    def _cost(cls, campaign=None, **vals):
        return (
            cls.env["spm.promotion.cost"]
            .with_user(cls.manager)
            .create(
                {
                    "campaign_id": (campaign or cls.campaign).id,
                    "name": "Light box",
                    "cost_type": "pop",
                    "planned_amount": 1000.0,
                    **vals,
                }
            )
        )

    @classmethod
    def _outlet_visit(cls, partner=None, verified=True, start=None):
        """A done visit of the rep at ``partner`` (the Nanjing Road outlet), its check-in
        verified or too far, its proof written as its buttons write it."""
        start = start or datetime(2026, 3, 3, 2, 0)
        visit = cls._visit(partner, start=start, purpose="promotion", outcome="Checked")
        visit._spm_write_proof(
            {
                "state": "done",
                "check_in_time": start,
                "check_out_time": start,
                "location_status": "verified" if verified else "too_far",
                "location_verified": verified,
            }
        )
        return visit

    @classmethod
    def _execution(cls, visit, campaign=None, done=True, user=None, **vals):
        return (
            cls.env["spm.promotion.execution"]
            .with_user(user or cls.rep)
            .create(
                {
                    "campaign_id": (campaign or cls.campaign).id,
                    "visit_id": visit.id,
                    "done": done,
                    **vals,
                }
            )
        )

    @classmethod
    def _order(cls, partner, when, lines, confirm=True):
        """An order of ``partner`` with ``lines`` (product, quantity) at list price,
        confirmed and dated ``when`` (UTC) unless ``confirm`` is false."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": product.list_price,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order
