from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common_scorecard import NOVEMBER, SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestRepScorecardFreeze(SpmScorecardCommon):
    """November targets, frozen 10 days after the month ends (the default): on 11
    December."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls._target(cls.rep)
        cls.team_target = cls._target(cls.team, date_from=date(2026, 10, 1))
        cls._order(cls.new_customer, 10, datetime(2026, 11, 3, 2, 0))

    def _freeze(self, day):
        with freeze_time(day):
            return self.env["spm.rep.target"]._cron_freeze_scorecards()

    def _cards(self):
        self.env.flush_all()
        rows = self.env["spm.rep.scorecard"].search_read(
            [("target_id", "in", (self.target | self.team_target).ids)],
            ["duty", "user_id", "target", "actual", "attainment", "weighted_score"],
            order="id",
        )
        return [
            {
                key: round(value, 6) if isinstance(value, float) else value
                for key, value in row.items()
            }
            for row in rows
        ]

    def _score(self):
        self.env.flush_all()
        return (
            self.env["spm.rep.score"]
            .search([("user_id", "=", self.rep.id), ("date_from", "=", NOVEMBER)])
            .score
        )

    def test_closed_period_is_frozen_after_the_companys_days(self):
        self.assertGreaterEqual(self._freeze("2026-12-10 12:00:00"), 1)
        self.assertTrue(self.team_target.frozen, "October ended 40 days ago")
        self.assertFalse(self.target.frozen, "November ended 9 days ago")
        self.assertGreaterEqual(self._freeze("2026-12-12 12:00:00"), 1)
        self.assertTrue(self.target.frozen)
        self.assertEqual(self._freeze("2026-12-13 12:00:00"), 0, "nothing twice")
        snapshots = self.env["spm.rep.scorecard.snapshot"].search(
            [("target_id", "=", self.target.id)]
        )
        self.assertEqual(len(snapshots), 7)

    def test_frozen_scorecard_no_longer_moves(self):
        before, score = self._cards(), self._score()
        self._freeze("2026-12-20 12:00:00")
        self.assertEqual(self._cards(), before, "same rows, same ids, same figures")
        # a November order confirmed later (backdated) no longer counts
        self._order(self.new_customer_2, 5, datetime(2026, 11, 20, 2, 0))
        sales = self._card(self.rep, "sales")
        self.assertAlmostEqual(sales.actual, 1000.0)
        self.assertEqual(self._cards(), before)
        self.assertAlmostEqual(self._score(), score)

    def test_open_period_still_moves(self):
        self._freeze("2026-12-05 12:00:00")
        self._order(self.new_customer_2, 5, datetime(2026, 11, 20, 2, 0))
        self.assertAlmostEqual(self._card(self.rep, "sales").actual, 1500.0)

    def test_frozen_target_cannot_change(self):
        self._freeze("2026-12-20 12:00:00")
        line = self.target.line_ids[0]
        for user in (self.manager, self.env.user):
            target = self.target.with_user(user)
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                target.write({"date_from": date(2026, 12, 1)})
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                line.with_user(user).write({"target": 1.0})
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                line.with_user(user).unlink()
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                target.write(
                    {"line_ids": [Command.create({"duty": "sales", "target": 1, "weight": 0})]}
                )
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                self.env["spm.rep.target.line"].with_user(user).create(
                    {"target_id": self.target.id, "duty": "sales", "target": 1, "weight": 0}
                )
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "closed"):
                target.unlink()
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "never by hand"):
                target.write({"frozen": False})
        # the next period's target is made as before
        december = self.env["spm.rep.target"].browse(
            self.target.action_copy_to_next_period()["res_id"]
        )
        self.assertFalse(december.frozen)

    def test_nobody_freezes_by_hand(self):
        with self.assertRaisesRegex(UserError, "never by hand"):
            self.target.with_user(self.manager).write({"frozen": True})
        with self.assertRaisesRegex(UserError, "never by hand"):
            self.target.write({"frozen": True})
        self.assertFalse(self.target.frozen)
