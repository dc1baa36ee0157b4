"""The base of the handover tests: a rep's whole book of business (two customers and a
contact, an opportunity, a quotation, visits, a collection task with a promise, a POP
deployment, a service request, a campaign, a region) and what stays his (a won
opportunity, a confirmed order, an order waiting for discount approval, a checked-in
visit, a closed request), and a colleague to take it over."""

from datetime import date, datetime

from odoo import Command

from .common_field_collection import SpmFieldCollectionCommon


class SpmHandoverCommon(SpmFieldCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["spm.handover.wizard"]
        cls.region_js.user_id = cls.rep
        cls.customer.spm_tier = "B"
        cls.contact = cls.env["res.partner"].create(
            {"name": "Mr Zhao", "parent_id": cls.customer.id, "user_id": cls.rep.id}
        )
        cls.outlet = cls.env["res.partner"].create(
            {
                "name": "Xujiahui Counter",
                "is_company": True,
                "user_id": cls.rep.id,
                "spm_region_id": cls.region_sh.id,
                "spm_tier": "A",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "5G Handset", "list_price": 100.0, "type": "consu"}
        )
        cls.lead = cls._lead(cls.customer)
        cls.outlet_lead = cls._lead(cls.outlet)
        cls.won_lead = cls._lead(cls.customer, stage_id=cls.env.ref("crm.stage_lead4").id)
        cls.quotation = cls._sale(cls.customer)
        cls.confirmed = cls._sale(cls.customer)
        cls.confirmed.action_confirm()
        cls.waiting = cls._sale(cls.customer)
        cls.env.cr.execute(
            "UPDATE sale_order SET state = 'to_approve' WHERE id = %s", [cls.waiting.id]
        )
        cls.waiting.invalidate_recordset(["state"])
        Visit = cls.env["spm.visit"]
        cls.planned, cls.outlet_visit, cls.checked_in = Visit.create(
            [
                {"partner_id": partner.id, "user_id": cls.rep.id, "planned_start": start}
                for partner, start in (
                    (cls.customer, datetime(2026, 3, 12, 2, 0)),
                    (cls.outlet, datetime(2026, 3, 12, 4, 0)),
                    (cls.customer, datetime(2026, 3, 9, 2, 0)),
                )
            ]
        )
        cls.checked_in._spm_write_proof(
            {
                "state": "done",
                "check_in_time": datetime(2026, 3, 9, 2, 0),
                "check_out_time": datetime(2026, 3, 9, 3, 0),
            }
        )
        cls.visit_todo = cls.planned.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.rep.id, summary="Bring samples"
        )
        cls.move, cls.task = cls._open_task_cls(1000.0)
        cls.promise = (
            cls.env["spm.payment.promise"]
            .with_user(cls.rep)
            .create(
                {
                    "task_id": cls.task.id,
                    "promised_date": date(2026, 3, 20),
                    "amount": 500.0,
                    "reason": "Fair",
                }
            )
        )
        # the promise's follow-up, on its task
        cls.promise_call = cls.task.activity_schedule(
            "mail.mail_activity_data_call", user_id=cls.rep.id, summary="Call about the promise"
        )
        cls.material = cls.env["spm.pop.material"].create(
            {"name": "S1 Poster A1", "material_type": "poster", "unit_cost": 15.0}
        )
        cls.deployment = cls.env["spm.pop.deployment"].create(
            {"partner_id": cls.outlet.id, "material_id": cls.material.id, "qty": 2}
        )
        cls.request = cls.env["spm.service.request"].create(
            {"subject": "Screen flickers", "partner_id": cls.customer.id, "user_id": cls.rep.id}
        )
        cls.campaign = cls.env["spm.promotion.campaign"].create(
            {
                "name": "Spring Trade-in",
                "region_ids": [Command.set(cls.region_js.ids)],
                "date_start": date(2026, 4, 1),
                "date_end": date(2026, 4, 30),
                "user_id": cls.rep.id,
            }
        )
        cls.lead_call = cls.lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=cls.rep.id, summary="Call the buyer"
        )
        cls.customer.message_subscribe(partner_ids=cls.rep.partner_id.ids)

    @classmethod
    def _lead(cls, partner, **vals):
        return cls.env["crm.lead"].create(
            {
                "name": f"Handsets for {partner.name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": cls.rep.id,
                "expected_revenue": 5000,
                **vals,
            }
        )

    @classmethod
    def _sale(cls, partner):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.rep.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 100.0}
                    )
                ],
            }
        )

    @classmethod
    def _open_task_cls(cls, amount):
        move = cls._invoice(amount, "2026-02-01")
        cls.Task._cron_refresh_tasks()
        return move, cls.Task.search([("move_id", "=", move.id)])

    def _wizard(self, user=None, **vals):
        return self.Wizard.with_user(user or self.manager).create(
            {
                "from_user_id": self.rep.id,
                "to_user_id": self.rep_colleague.id,
                "reason": "Leaves the company",
                **vals,
            }
        )
