from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common_scorecard import SpmScorecardCommon

START = datetime(2026, 11, 2, 2, 0)


@tagged("post_install", "-at_install")
class TestFunnelReport(SpmScorecardCommon):
    """Stages New, Qualified, Proposition and Won (CRM's own). Opportunities created on
    2 November: one goes through every stage to Won, one skips Qualified, one goes back
    from Proposition to Qualified, one stays New."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages = [cls.env.ref(f"crm.stage_lead{number}") for number in (1, 2, 3, 4)]
        cls.new, cls.qualified, cls.proposition, cls.won = cls.stages
        cls.straight = cls._opportunity(
            "Straight", [(2, cls.qualified), (5, cls.proposition), (6, cls.won)]
        )
        cls.skipped = cls._opportunity("Skipped", [(3, cls.proposition)])
        cls.reversed = cls._opportunity(
            "Reversed", [(1, cls.qualified), (3, cls.proposition), (4, cls.qualified)]
        )
        cls.idle = cls._opportunity("Idle", [], user=cls.rep_colleague)

    @classmethod
    def _opportunity(cls, name, moves, user=None):
        """An opportunity created in New at START, moved to each stage on its day."""
        with freeze_time(START):
            lead = cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": (user or cls.rep).id,
                    "team_id": cls.team.id,
                    "expected_revenue": 1000.0,
                    "stage_id": cls.new.id,
                }
            )
            cls.env.flush_all()
            cls.env.cr.precommit.run()
        for day, stage in moves:
            with freeze_time(START + timedelta(days=day)):
                lead.stage_id = stage
                cls.env.flush_all()
                cls.env.cr.precommit.run()
        cls.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", [START, lead.id])
        return lead

    def _by_stage(self, domain=(), user=None):
        report = self.env["spm.funnel.report"]
        if user:
            report = report.with_user(user)
        self.env.flush_all()
        groups = report.read_group(
            list(domain),
            [
                "lead_count:sum",
                "expected_revenue:sum",
                "advanced_count:sum",
                "conversion_rate",
                "avg_days",
            ],
            ["stage_id"],
        )
        return {group["stage_id"][0]: group for group in groups}

    def test_each_opportunity_counts_once_in_each_stage_up_to_its_highest(self):
        groups = self._by_stage(
            [("lead_id", "in", (self.straight | self.skipped | self.reversed | self.idle).ids)]
        )
        counts = [groups.get(stage.id, {}).get("lead_count", 0) for stage in self.stages]
        self.assertEqual(counts, [4, 3, 3, 1])
        self.assertEqual(groups[self.new.id]["expected_revenue"], 4000.0)

    def test_skipped_stage_counts_but_has_no_stay(self):
        rows = self.env["spm.funnel.report"].search([("lead_id", "=", self.skipped.id)])
        by_stage = {row.stage_id: row for row in rows}
        self.assertEqual(set(by_stage), {self.new, self.qualified, self.proposition})
        self.assertEqual(by_stage[self.qualified].stayed_count, 0)
        self.assertEqual(by_stage[self.qualified].advanced_count, 1)
        self.assertAlmostEqual(by_stage[self.new].stage_days, 3.0)

    def test_going_back_counts_once_and_sums_the_stays(self):
        rows = self.env["spm.funnel.report"].search([("lead_id", "=", self.reversed.id)])
        self.assertEqual(rows.stage_id, self.new | self.qualified | self.proposition)
        qualified = rows.filtered(lambda row: row.stage_id == self.qualified)
        self.assertEqual((qualified.lead_count, qualified.stayed_count), (1, 1))
        self.assertGreater(qualified.stage_days, 2.0, "both stays in Qualified count")
        proposition = rows.filtered(lambda row: row.stage_id == self.proposition)
        self.assertEqual(proposition.advanced_count, 0, "it went back, not further")
        self.assertAlmostEqual(proposition.stage_days, 1.0)

    def test_conversion_and_days_per_stage(self):
        groups = self._by_stage(
            [("lead_id", "in", (self.straight | self.skipped | self.reversed | self.idle).ids)]
        )
        # New: 3 of 4 went further; Qualified: all 3 reached Proposition at least;
        # Proposition: only the straight one; Won: none
        self.assertAlmostEqual(groups[self.new.id]["conversion_rate"], 75.0)
        self.assertAlmostEqual(groups[self.qualified.id]["conversion_rate"], 100.0)
        self.assertAlmostEqual(groups[self.proposition.id]["conversion_rate"], 100.0 / 3)
        self.assertAlmostEqual(groups[self.won.id]["conversion_rate"], 0.0)
        straight = self._by_stage([("lead_id", "=", self.straight.id)])
        self.assertEqual(
            [round(straight[stage.id]["avg_days"], 6) for stage in self.stages[:3]], [2.0, 3.0, 1.0]
        )

    def test_lost_opportunity_counts_in_the_stages_it_reached(self):
        self.skipped.action_set_lost()
        self.env.flush_all()
        rows = self.env["spm.funnel.report"].search([("lead_id", "=", self.skipped.id)])
        self.assertEqual(len(rows), 3)
        self.assertTrue(all(rows.mapped("lost")))
        won = self.env["spm.funnel.report"].search(
            [("lead_id", "=", self.straight.id), ("won", "=", True)]
        )
        self.assertEqual(len(won), 4)

    def test_rep_sees_own_funnel_team_leader_the_team(self):
        self.assertEqual(self._by_stage(user=self.rep)[self.new.id]["lead_count"], 3)
        self.assertEqual(self._by_stage(user=self.rep_colleague)[self.new.id]["lead_count"], 1)
        self.assertEqual(self._by_stage(user=self.leader)[self.new.id]["lead_count"], 4)
        self.assertFalse(self._by_stage(user=self.other_rep))
