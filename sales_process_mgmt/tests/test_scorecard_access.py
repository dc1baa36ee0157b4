from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_scorecard import NOVEMBER, SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestScorecardAccess(SpmScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_target = cls._target(cls.rep)
        cls.colleague_target = cls._target(cls.rep_colleague)
        cls.team_target = cls._target(cls.team, date_from=datetime(2026, 12, 1).date())
        cls.outsider = cls._new_user("spm_outsider", "sales_team.group_sale_salesman", cls.company)
        cls.outsider_target = cls._target(cls.outsider)
        cls.other_target = cls._target(
            cls.other_rep, [("sales", 1.0, 100.0)], company_id=cls.other_company.id
        )
        cls._order(cls.new_customer, 10, datetime(2026, 11, 3, 2, 0))
        cls.env.flush_all()

    def _seen(self, model, user):
        return self.env[model].with_user(user).search([])

    def test_rep_sees_own_scorecard_and_ranking(self):
        for model in ("spm.rep.scorecard", "spm.rep.score"):
            self.assertEqual(self._seen(model, self.rep).user_id, self.rep, model)
        groups = (
            self.env["spm.rep.scorecard"]
            .with_user(self.rep)
            .read_group([], ["weighted_score:sum"], ["user_id"])
        )
        self.assertEqual([group["user_id"][0] for group in groups], [self.rep.id])

    def test_rep_reads_own_and_team_targets_only(self):
        seen = self._seen("spm.rep.target", self.rep)
        self.assertEqual(seen, self.rep_target | self.team_target)
        with self.assertRaises(AccessError):
            self.colleague_target.with_user(self.rep).read(["date_from"])
        self.assertEqual(
            self.rep_target.with_user(self.rep).line_ids.mapped("duty"),
            self.rep_target.line_ids.mapped("duty"),
        )
        # the duties' lines too, searched directly: not a colleague's, not another company's
        lines = self.env["spm.rep.target.line"].with_user(self.rep).search([])
        self.assertEqual(lines.target_id, self.rep_target | self.team_target)
        other_lines = self.env["spm.rep.target.line"].with_user(self.other_rep).search([])
        self.assertEqual(other_lines.target_id, self.other_target)

    def test_team_leader_sees_the_team(self):
        team = self.rep | self.rep_colleague
        for model in ("spm.rep.scorecard", "spm.rep.score"):
            self.assertEqual(self._seen(model, self.leader).user_id, team, model)
        self.assertEqual(
            self._seen("spm.rep.target", self.leader),
            self.rep_target | self.colleague_target | self.team_target,
        )
        with self.assertRaises(AccessError):
            self.rep_target.with_user(self.leader).line_ids[0].target = 1.0

    def test_manager_sees_all_of_the_company(self):
        seen = self._seen("spm.rep.scorecard", self.manager).user_id
        self.assertLessEqual(self.rep | self.rep_colleague | self.outsider, seen)
        self.assertNotIn(self.other_rep, seen)
        self.assertNotIn(self.other_target, self._seen("spm.rep.target", self.manager))

    def test_other_company_rep_sees_own_company_only(self):
        self.assertEqual(
            self._seen("spm.rep.scorecard", self.other_rep).company_id, self.other_company
        )
        self.assertEqual(self._seen("spm.rep.target", self.other_rep), self.other_target)

    def test_reports_are_read_only(self):
        card = self._card(self.rep, "sales")
        self.assertAlmostEqual(card.actual, 1000.0)
        self.assertEqual(card.date_from, NOVEMBER)
        for user in (self.rep, self.manager):
            with self.assertRaises(AccessError):
                card.with_user(user).write({"actual": 1.0})

    def test_rep_prints_own_scorecard_in_his_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_process_mgmt"], ["zh_CN"], overwrite=True
        )
        self.rep.lang = "zh_CN"
        score = self.env["spm.rep.score"].with_user(self.rep).search([("date_from", "=", NOVEMBER)])
        html = (
            self.env["ir.actions.report"]
            .with_user(self.rep)
            ._render_qweb_html("sales_process_mgmt.spm_rep_scorecard_report", score.ids)[0]
            .decode()
        )
        self.assertIn(self.rep.name, html)
        for label in ("销售额", "回款期 (DSO)", "回款率", "利润率", "新市场开发"):
            self.assertIn(label, html)
        self.assertIn("10.0", html)  # sales: 1,000 of 10,000
        colleague = self.env["spm.rep.score"].search(
            [("user_id", "=", self.rep_colleague.id), ("date_from", "=", NOVEMBER)]
        )
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.rep)._render_qweb_html(
                "sales_process_mgmt.spm_rep_scorecard_report", colleague.ids
            )
