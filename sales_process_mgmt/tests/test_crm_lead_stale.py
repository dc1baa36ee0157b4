from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_scorecard import SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestCrmLeadStale(SpmScorecardCommon):
    """Opportunities last worked on 40 days ago (stage, messages, creation), against the
    company's 30 stale days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.spm_stale_days = 30
        Lead = cls.env["crm.lead"]
        cls.old, cls.messaged, cls.planned, cls.won, cls.lost = Lead.create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": cls.rep.id,
                    "expected_revenue": 500,
                }
                for name in ("Old", "Messaged", "Planned", "Won", "Lost")
            ]
        )
        cls.won.action_set_won()
        cls.lost.action_set_lost()
        leads = cls.old | cls.messaged | cls.planned | cls.won | cls.lost
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        then = fields.Datetime.now() - timedelta(days=40)
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, date_last_stage_update = %s WHERE id IN %s",
            [then, then, tuple(leads.ids)],
        )
        cls.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE model = 'crm.lead' AND res_id IN %s",
            [then, tuple(leads.ids)],
        )
        cls.env.invalidate_all()
        cls.messaged.message_post(body="Called the buyer: waiting for the budget.")
        cls.planned.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=fields.Date.today() + timedelta(days=5)
        )
        cls.env.cr.execute(
            "UPDATE mail_activity SET create_date = %s "
            "WHERE res_model = 'crm.lead' AND res_id = %s",
            [then, cls.planned.id],
        )
        cls.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE model = 'crm.lead' AND res_id = %s",
            [then, cls.planned.id],
        )
        cls.env.invalidate_all()

    def test_open_opportunity_nobody_works_on_is_stale(self):
        self.assertTrue(self.old.spm_stale)
        self.assertEqual(self.old.spm_last_touch.date(), fields.Date.today() - timedelta(days=40))
        self.assertFalse(self.messaged.spm_stale, "a message today")
        self.assertFalse(self.planned.spm_stale, "an activity due in 5 days")
        self.assertFalse(self.won.spm_stale, "won")
        self.assertFalse(self.lost.with_context(active_test=False).spm_stale, "lost")

    def test_search_stale(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        mine = [("user_id", "=", self.rep.id)]
        self.assertEqual(Lead.search([*mine, ("spm_stale", "=", True)]), self.old)
        self.assertEqual(Lead.search([*mine, ("spm_stale", "!=", False)]), self.old)
        self.assertNotIn(self.old, Lead.search([*mine, ("spm_stale", "=", False)]))
        self.assertIn(self.messaged, Lead.search([*mine, ("spm_stale", "=", False)]))
        with self.assertRaises(ValueError):
            Lead.search([("spm_stale", "in", [True])])
        with self.assertRaises(ValueError):
            Lead.search([("spm_stale", "=", "yes")])

    def test_company_days_decide(self):
        self.company.spm_stale_days = 60
        self.env.invalidate_all()
        self.assertFalse(self.old.spm_stale)
        with (
            self.assertRaisesRegex(ValidationError, "one day at the earliest"),
            self.cr.savepoint(),
        ):
            self.company.spm_stale_days = 0

    def test_rep_lists_own_stale_opportunities(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.crm_lead_action_stale"
        )
        domain = safe_eval(action["domain"])
        seen = self.env["crm.lead"].with_user(self.rep).search(domain)
        self.assertEqual(seen, self.old)
        self.assertFalse(
            self.env["crm.lead"]
            .with_user(self.rep_colleague)
            .search([*domain, ("user_id", "=", self.rep_colleague.id)])
        )
