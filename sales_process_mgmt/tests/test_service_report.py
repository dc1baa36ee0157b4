from datetime import datetime

from odoo.tests import tagged
from odoo.tools import SQL

from .common_service_rating import SpmServiceRatingCommon

RATIOS = ["request_count:sum", "breach_percent", "avg_resolution_hours", "avg_satisfaction"]


@tagged("post_install", "-at_install")
class TestServiceReport(SpmServiceRatingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the rep: two repairs resolved (one late, 4 h; one in 2 h, rated 5), a complaint
        # still open rated 3 at a visit, a cancelled request
        cls.late = cls._figures(cls._request(), hours=4.0, breached=True)
        cls.rated = cls._figures(cls._request(), hours=2.0, satisfaction=5)
        cls.open = cls._figures(cls._request(request_type="complaint"), satisfaction=3)
        cls.cancelled = cls._request()
        cls.cancelled.action_cancel()
        cls.colleague = cls._figures(
            cls._request(user=cls.rep_colleague, partner_id=cls.dealer.id, contact_id=False),
            breached=True,
        )
        cls.other_company_request = cls.Request.with_user(cls.other_rep).create(
            {"subject": "Broken", "user_id": cls.other_rep.id, "company_id": cls.other_company.id}
        )
        cls.env.flush_all()

    @classmethod
    def _figures(cls, request, hours=None, breached=False, satisfaction=0):
        """The request with the figures its buttons, cron and ratings record."""
        vals = {"resolution_breached": breached, "satisfaction": satisfaction}
        if hours is not None:
            cls._resolve(request)
            vals["resolution_hours"] = hours
        request.sudo()._spm_protected().write(vals)
        return request

    def _groups(self, groupby, user=None, domain=None):
        report = self.env["spm.service.report"]
        if user:
            report = report.with_user(user)
        rows = report.read_group(
            [("company_id", "=", self.company.id), *(domain or [])], RATIOS, [groupby]
        )
        return {
            row[groupby][0] if isinstance(row[groupby], tuple) else row[groupby]: row
            for row in rows
        }

    def test_one_row_per_request_without_the_cancelled(self):
        rows = self.env["spm.service.report"].search([("user_id", "=", self.rep.id)])
        self.assertEqual(rows.request_id, self.late | self.rated | self.open)
        row = rows.filtered(lambda row: row.request_id == self.late)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.request_type, "repair")
        self.assertEqual(row.priority, "1")
        self.assertEqual(row.breach_percent, 100.0)
        self.assertEqual(row.avg_resolution_hours, 4.0)
        self.assertEqual(row.avg_satisfaction, 0.0)

    def test_ratios_per_rep_from_summed_figures(self):
        row = self._groups("user_id")[self.rep.id]
        self.assertEqual(row["request_count"], 3)
        self.assertAlmostEqual(row["breach_percent"], 100.0 / 3)
        # (4 + 2) hours / 2 resolved, the open request left out
        self.assertAlmostEqual(row["avg_resolution_hours"], 3.0)
        # (5 + 3) / 2 rated, the unrated one left out
        self.assertAlmostEqual(row["avg_satisfaction"], 4.0)
        colleague = self._groups("user_id")[self.rep_colleague.id]
        self.assertEqual(colleague["request_count"], 1)
        self.assertAlmostEqual(colleague["breach_percent"], 100.0)
        self.assertAlmostEqual(colleague["avg_satisfaction"], 0.0)

    def test_ratios_per_type(self):
        groups = self._groups("request_type", domain=[("user_id", "=", self.rep.id)])
        self.assertEqual(groups["repair"]["request_count"], 2)
        self.assertAlmostEqual(groups["repair"]["breach_percent"], 50.0)
        self.assertAlmostEqual(groups["repair"]["avg_resolution_hours"], 3.0)
        self.assertAlmostEqual(groups["repair"]["avg_satisfaction"], 5.0)
        self.assertAlmostEqual(groups["complaint"]["avg_resolution_hours"], 0.0)
        self.assertAlmostEqual(groups["complaint"]["avg_satisfaction"], 3.0)

    def test_ratios_per_month_opened(self):
        self.env.cr.execute(
            SQL(
                "UPDATE spm_service_request SET create_date = %s WHERE id = %s",
                datetime(2026, 2, 10, 3, 0),
                self.open.id,
            )
        )
        self.env.invalidate_all()
        rows = self.env["spm.service.report"].read_group(
            [("user_id", "=", self.rep.id)], RATIOS, ["date:month"], orderby="date:month"
        )
        self.assertEqual(len(rows), 2)
        february = rows[0]
        self.assertEqual(february["request_count"], 1)
        self.assertAlmostEqual(february["avg_satisfaction"], 3.0)
        self.assertAlmostEqual(rows[1]["avg_satisfaction"], 5.0)

    def test_a_new_rating_counts_at_once(self):
        visit = self._follow_up_visit(self.late)
        visit.with_user(self.rep).action_spm_record_satisfaction(self.late.id, 2)
        self.env.flush_all()
        row = self._groups("user_id")[self.rep.id]
        self.assertAlmostEqual(row["avg_satisfaction"], (5 + 3 + 2) / 3)

    def test_rep_sees_only_his_own_figures(self):
        rows = self.env["spm.service.report"].with_user(self.rep).search([])
        self.assertEqual(rows.user_id, self.rep)
        self.assertEqual(set(self._groups("user_id", user=self.rep)), {self.rep.id})

    def test_team_leaders_and_managers_see_all_of_their_company(self):
        for user in (self.leader, self.manager):
            with self.subTest(user=user.login):
                rows = self.env["spm.service.report"].with_user(user).search([])
                self.assertLessEqual(self.rep | self.rep_colleague, rows.user_id)
                self.assertNotIn(self.other_company_request, rows.request_id)

    def test_the_views_open_for_a_rep(self):
        action = self.env.ref("sales_process_mgmt.spm_service_report_action")
        self.assertEqual(action.view_mode, "pivot,graph,list,kanban")
        views = (
            self.env["spm.service.report"]
            .with_user(self.rep)
            .get_views(
                [(False, view_type) for view_type in ("pivot", "graph", "list", "kanban", "search")]
            )
        )
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "kanban", "search"})
        menu = self.env.ref("sales_process_mgmt.spm_service_report_menu")
        self.assertEqual(menu.parent_id, self.env.ref("sales_process_mgmt.spm_service_menu"))
