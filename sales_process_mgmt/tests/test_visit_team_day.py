from datetime import datetime

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_visit import SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitTeamDay(SpmVisitCommon):
    """The team leader's day: the check-ins of the day of every rep, grouped by rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = cls._new_user(
            "spm_team_leader", "sales_team.group_sale_salesman_all_leads", cls.company
        )
        cls.today_rep = cls._done_visit(start=datetime(2026, 3, 2, 2, 0))
        cls.today_colleague = cls._done_visit(
            user=cls.rep_colleague, start=datetime(2026, 3, 2, 3, 0)
        )
        cls.yesterday = cls._done_visit(start=datetime(2026, 3, 1, 2, 0))
        cls.planned = cls._visit(start=datetime(2026, 3, 2, 6, 0))
        cls.action = cls.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_visit_team_day_action"
        )

    def _day(self, user):
        """The check-ins the action shows ``user`` on 2 March (its Today filter)."""
        domain = [*safe_eval(self.action["domain"]), ("visit_date", "=", "2026-03-02")]
        return self.env["spm.visit"].with_user(user).search(domain)

    def test_team_leader_sees_each_reps_check_ins_of_the_day(self):
        self.assertEqual(self._day(self.leader), self.today_rep | self.today_colleague)
        self.assertIn("search_default_groupby_user", self.action["context"])
        self.assertIn("search_default_filter_today", self.action["context"])

    def test_rep_sees_own_check_ins_and_not_the_menu(self):
        self.assertEqual(self._day(self.rep_colleague), self.today_colleague)
        menu = self.env.ref("sales_process_mgmt.spm_visit_team_day_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(menu.id, Menu.with_user(self.rep)._visible_menu_ids())
        self.assertIn(menu.id, Menu.with_user(self.leader)._visible_menu_ids())
