from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_atmosphere import SpmAtmosphereCommon


@tagged("post_install", "-at_install")
class TestAtmosphereAccess(SpmAtmosphereCommon):
    """Reps audit their own visits and read the audits of the visits they read;
    managers see and correct all; each company sees its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_visit = cls._audited_visit(cls._all(4), "2026-03-02")
        # the colleague's own outlet, which the rep never visits
        cls.colleague_customer = cls.env["res.partner"].create(
            {"name": "Colleague's Outlet", "is_company": True, "user_id": cls.rep_colleague.id}
        )
        cls.colleague_visit = cls._audited_visit(
            cls._all(2), "2026-03-03", partner=cls.colleague_customer, user=cls.rep_colleague
        )
        # the colleague visits the rep's outlet too
        cls.colleague_visit_shared = cls._audited_visit(
            cls._all(3), "2026-03-04", user=cls.rep_colleague
        )
        other_customer = cls.env["res.partner"].create(
            {"name": "Other Co Outlet", "is_company": True, "company_id": cls.other_company.id}
        )
        cls.other_company_visit = cls.env["spm.visit"].create(
            {
                "partner_id": other_customer.id,
                "user_id": cls.other_rep.id,
                "company_id": cls.other_company.id,
                "planned_start": datetime(2026, 3, 2, 2, 0),
            }
        )
        cls.other_company_visit.with_user(cls.other_rep).action_check_in()
        cls._score(cls.other_company_visit, {"pop": 5})
        cls.visits = (
            cls.own_visit
            | cls.colleague_visit
            | cls.colleague_visit_shared
            | cls.other_company_visit
        )

    def _lines(self, user):
        """The lines of this test's visits that ``user`` sees."""
        return self.Line.with_user(user).search([("visit_id", "in", self.visits.ids)])

    def test_rep_reads_the_audits_of_the_visits_he_reads(self):
        lines = self._lines(self.rep)
        self.assertEqual(lines.visit_id, self.own_visit | self.colleague_visit_shared)
        with self.assertRaises(AccessError):
            self.colleague_visit.atmosphere_line_ids.with_user(self.rep).read(["score"])

    def test_rep_creates_lines_only_on_his_own_visits(self):
        visit = self._checked_in(when="2026-03-09 02:00:00")
        line = self.Line.with_user(self.rep).create({"visit_id": visit.id, "element": "pop"})
        self.assertEqual(line.user_id, self.rep)
        with self.assertRaises(AccessError):
            self.Line.with_user(self.rep).create(
                {"visit_id": self.other_company_visit.id, "element": "music"}
            )

    def test_manager_sees_and_corrects_every_audit_of_his_company(self):
        lines = self._lines(self.manager)
        self.assertEqual(
            lines.visit_id, self.own_visit | self.colleague_visit | self.colleague_visit_shared
        )
        line = self.colleague_visit.atmosphere_line_ids[:1]
        line.with_user(self.manager).write({"score": "3", "note": "Corrected after a call"})
        self.assertEqual(line.score, "3")
        line.with_user(self.manager).unlink()
        self.assertEqual(len(self.colleague_visit.atmosphere_line_ids), 3)

    def test_team_leader_reads_all_audits_without_changing_them(self):
        leader = new_test_user(
            self.env,
            login="spm_atmosphere_leader",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
        )
        lines = self._lines(leader)
        self.assertEqual(
            lines.visit_id, self.own_visit | self.colleague_visit | self.colleague_visit_shared
        )
        with self.assertRaises(AccessError):
            self.colleague_visit.atmosphere_line_ids[:1].with_user(leader).score = "5"

    def test_each_company_sees_its_own_audits(self):
        self.assertEqual(self._lines(self.other_rep).visit_id, self.other_company_visit)
        self.assertNotIn(self.other_company_visit, self._lines(self.manager).visit_id)

    def test_rep_reads_the_outlets_score_in_the_archive(self):
        customer = self.customer.with_user(self.rep)
        # the latest audit of the outlet is the colleague's, on the 4th
        self.assertEqual(customer.spm_atmosphere_score, 3.0)
        self.assertEqual(customer.spm_atmosphere_trend, "down")
