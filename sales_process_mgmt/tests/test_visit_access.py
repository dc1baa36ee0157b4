from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_visit import SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitAccess(SpmVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the colleague's own customer, which the rep never visits
        cls.colleague_customer = cls.env["res.partner"].create(
            {"name": "Colleague's Outlet", "is_company": True, "user_id": cls.rep_colleague.id}
        )
        cls.own_visit = cls._visit()
        cls.colleague_visit_shared = cls._done_visit(user=cls.rep_colleague)
        cls.colleague_visit_private = cls._visit(
            partner=cls.colleague_customer, user=cls.rep_colleague
        )
        # the dealer is the colleague's account, but the rep visits it too
        cls.rep_dealer_visit = cls._visit(partner=cls.dealer)
        cls.colleague_dealer_visit = cls._visit(partner=cls.dealer, user=cls.rep_colleague)
        cls.other_company_customer = cls.env["res.partner"].create(
            {"name": "Other Co Outlet", "is_company": True, "company_id": cls.other_company.id}
        )
        cls.other_company_visit = cls.env["spm.visit"].create(
            {
                "partner_id": cls.other_company_customer.id,
                "user_id": cls.other_rep.id,
                "company_id": cls.other_company.id,
                "planned_start": datetime(2026, 3, 2, 2, 0),
            }
        )

    def test_rep_sees_own_visits_and_colleagues_visits_of_shared_customers(self):
        visible = self.env["spm.visit"].with_user(self.rep).search([])
        self.assertIn(self.own_visit, visible)
        self.assertIn(self.colleague_visit_shared, visible)
        self.assertIn(self.rep_dealer_visit, visible)
        self.assertNotIn(self.colleague_visit_private, visible)
        self.assertNotIn(self.other_company_visit, visible)
        self.assertEqual(self.colleague_visit_shared.with_user(self.rep).outcome, "Visited")
        with self.assertRaises(AccessError):
            self.colleague_visit_private.with_user(self.rep).read(["outcome"])

    def test_planning_a_visit_does_not_open_the_customers_history(self):
        # the rep visits the colleague's dealer too, but is not its salesperson
        with self.assertRaisesRegex(AccessError, "doesn't have 'read' access to"):
            self.colleague_dealer_visit.with_user(self.rep).read(["outcome"])

    def test_team_leader_reads_all_visits_of_the_company(self):
        leader = new_test_user(
            self.env,
            login="spm_team_leader",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
        )
        visible = self.env["spm.visit"].with_user(leader).search([])
        self.assertIn(self.colleague_visit_private, visible)
        self.assertNotIn(self.other_company_visit, visible)
        with self.assertRaisesRegex(AccessError, "doesn't have 'write' access to"):
            self.colleague_visit_private.with_user(leader).objective = "Mine"

    def test_rep_edits_own_visits_only(self):
        self.own_visit.with_user(self.rep).objective = "Take the monthly order"
        self.assertEqual(self.own_visit.objective, "Take the monthly order")
        with self.assertRaises(AccessError):
            self.colleague_dealer_visit.with_user(self.rep).objective = "Mine now"
        with self.assertRaises(AccessError):
            self.colleague_dealer_visit.with_user(self.rep).action_check_in()

    def test_rep_plans_visits_for_self_not_for_colleagues(self):
        Visit = self.env["spm.visit"].with_user(self.rep)
        visit = Visit.create({"partner_id": self.dealer.id})
        self.assertEqual(visit.user_id, self.rep)
        with self.assertRaises(AccessError):
            Visit.create({"partner_id": self.dealer.id, "user_id": self.rep_colleague.id})

    def test_rep_deletes_a_planned_visit_but_not_a_done_one(self):
        done = self._done_visit()
        with self.assertRaisesRegex(
            UserError, "has been checked in: it stays in the customer's history"
        ):
            done.with_user(self.rep).unlink()
        self.own_visit.with_user(self.rep).unlink()
        self.assertFalse(self.own_visit.exists())

    def test_manager_sees_changes_and_deletes_all_visits_of_the_company(self):
        Visit = self.env["spm.visit"].with_user(self.manager)
        visible = Visit.search([])
        self.assertIn(self.colleague_visit_private, visible)
        self.assertNotIn(self.other_company_visit, visible)
        self.colleague_visit_private.with_user(self.manager).objective = "Checked by manager"
        self.colleague_visit_shared.with_user(self.manager).unlink()
        self.assertFalse(self.colleague_visit_shared.exists())

    def test_customer_form_shows_the_visit_history(self):
        partner = self.customer.with_user(self.rep)
        self.assertEqual(partner.spm_visit_count, 2)
        action = partner.action_spm_view_visits()
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])
        visits = self.env["spm.visit"].with_user(self.rep).search(action["domain"])
        self.assertEqual(visits, self.own_visit | self.colleague_visit_shared)

    def test_rep_cannot_change_visit_settings(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.rep).spm_visit_radius_m = 10
