"""A rep visits a class-B customer, the cadence makes it due two weeks later, the
daily cron plans the revisit, the rep misses it and the hourly cron says so; the
manager prints the visit log book."""

from datetime import date, datetime

from e2e_common import EndToEndCase
from freezegun import freeze_time

from odoo.tests import new_test_user


class TestVisitFlow(EndToEndCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="e2e_visit_manager", groups="sales_team.group_sale_manager"
        )
        cls.rep = new_test_user(
            cls.env,
            login="e2e_visit_rep",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hengda Telecom",
                "is_company": True,
                "spm_tier": "B",
                "user_id": cls.rep.id,
                "partner_latitude": 31.2990,
                "partner_longitude": 120.5853,
            }
        )

    def test_visit_and_revisit_cycle(self):
        Visit = self.env["spm.visit"].with_user(self.rep)
        with freeze_time("2026-03-02 02:00:00"):
            visit = Visit.create(
                {
                    "partner_id": self.customer.id,
                    "purpose": "collection",
                    "planned_start": datetime(2026, 3, 2, 2, 0),
                    "objective": "Collect the February invoice",
                }
            )
            visit.action_check_in(latitude=31.2995, longitude=120.5850)
            visit.write({"outcome": "Paid half, the rest after payday", "satisfaction": "4"})
            visit.action_check_out(latitude=31.2995, longitude=120.5850)
        self.assertTrue(visit.location_verified)
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 3, 16))

        with freeze_time("2026-03-14 20:00:00"):
            self.env["spm.visit"]._cron_plan_revisits(partner_ids=self.customer.ids)
        revisit = Visit.search([("partner_id", "=", self.customer.id), ("state", "=", "planned")])
        self.assertEqual(revisit.purpose, "revisit")
        self.assertEqual(revisit.activity_ids.user_id, self.rep)

        with freeze_time("2026-03-17 02:00:00"):
            self.env["spm.visit"]._cron_mark_missed()
            self.env["spm.visit"]._cron_plan_revisits(partner_ids=self.customer.ids)
        self.assertEqual(revisit.state, "missed")
        self.assertTrue(self.customer.spm_visit_overdue)
        # the missed revisit does not block a new one
        self.assertEqual(
            Visit.search_count([("partner_id", "=", self.customer.id), ("state", "=", "planned")]),
            1,
        )

        wizard = (
            self.env["spm.visit.log.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        )
        html, _ = self.env["ir.actions.report"]._render_qweb_html(
            "sales_process_mgmt.report_spm_visit_log", wizard.ids
        )
        self.assertIn("Paid half, the rest after payday", html.decode())
