from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_scorecard import DUTY_LINES, NOVEMBER, SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestRepTarget(SpmScorecardCommon):
    def test_weights_must_sum_to_100(self):
        with (
            self.assertRaisesRegex(ValidationError, "sum to 90.0: they must sum to 100"),
            self.cr.savepoint(),
        ):
            self._target(self.rep, [("sales", 1000.0, 60.0), ("dso", 30.0, 30.0)])
            self.env.flush_all()

    def test_target_without_duties_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "sum to 0"), self.cr.savepoint():
            self._target(self.rep, [])
            self.env.flush_all()

    def test_one_line_changed_directly_is_checked(self):
        target = self._target(self.rep)
        self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "must sum to 100"), self.cr.savepoint():
            target.line_ids[0].weight = 20.0
            self.env.flush_all()

    def test_weights_moved_between_duties_in_one_save(self):
        target = self._target(self.rep)
        with Form(target) as form:
            with form.line_ids.edit(0) as line:
                line.weight = 20.0
            with form.line_ids.edit(1) as line:
                line.weight = 25.0
        self.assertEqual(target.weight_total, 100.0)
        self.assertEqual(target.line_ids[:2].mapped("weight"), [20.0, 25.0])

    def test_removing_a_duty_without_moving_its_weight_is_refused(self):
        target = self._target(self.rep)
        self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "sum to 85.0"), self.cr.savepoint():
            target.line_ids.filtered(lambda line: line.duty == "dso").unlink()
            self.env.flush_all()

    @mute_logger("odoo.sql_db")
    def test_negative_target_is_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(self.rep, [("sales", -5.0, 100.0)])
            self.env.flush_all()

    @mute_logger("odoo.sql_db")
    def test_same_duty_twice_is_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(self.rep, [("sales", 5.0, 50.0), ("sales", 6.0, 50.0)])
            self.env.flush_all()

    def test_rate_over_100_and_satisfaction_over_5_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "at most 100%"), self.cr.savepoint():
            self._target(self.rep, [("collection_rate", 120.0, 100.0)])
        with self.assertRaisesRegex(ValidationError, "at most 5"), self.cr.savepoint():
            self._target(self.rep, [("satisfaction", 6.0, 100.0)])

    @mute_logger("odoo.sql_db")
    def test_second_target_for_the_same_period_is_refused(self):
        self._target(self.rep)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(self.rep)
        team_target = self._target(self.team)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._target(self.team)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            team_target.copy()
        # another kind of period, another rep, another month: accepted
        self._target(self.rep, period="quarter", date_from=date(2026, 10, 1))
        self._target(self.rep_colleague)
        self._target(self.rep, date_from=date(2026, 12, 1))
        self.assertTrue(team_target.exists())

    def test_target_is_for_a_rep_or_a_team(self):
        with (
            self.assertRaisesRegex(
                ValidationError, "either for one sales rep or for one sales team"
            ),
            self.cr.savepoint(),
        ):
            self._target(self.rep, team_id=self.team.id)
        with (
            self.assertRaisesRegex(ValidationError, "either for one sales rep"),
            self.cr.savepoint(),
        ):
            self.env["spm.rep.target"].create(
                {
                    "date_from": NOVEMBER,
                    "line_ids": [Command.create({"duty": "sales", "target": 1, "weight": 100})],
                }
            )

    def test_period_starts_on_its_first_day(self):
        with (
            self.assertRaisesRegex(
                ValidationError, r"first day of its quarter \(2026-10-01, not 2026-11-01\)"
            ),
            self.cr.savepoint(),
        ):
            self._target(self.rep, period="quarter", date_from=NOVEMBER)
        form = Form(self.env["spm.rep.target"])
        form.user_id = self.rep
        form.period = "year"
        form.date_from = date(2026, 11, 17)
        self.assertEqual(form.date_from, date(2026, 1, 1))
        self.assertEqual(form.date_to, date(2026, 12, 31))

    def test_copy_to_next_period(self):
        target = self._target(self.rep)
        action = target.action_copy_to_next_period()
        december = self.env["spm.rep.target"].browse(action["res_id"])
        self.assertEqual(
            (december.user_id, december.date_from, december.date_to),
            (self.rep, date(2026, 12, 1), date(2026, 12, 31)),
        )
        self.assertEqual(
            [(line.duty, line.target, line.weight) for line in december.line_ids], DUTY_LINES
        )
        with self.assertRaisesRegex(UserError, "next period already has these targets"):
            target.action_copy_to_next_period()
        quarter = self._target(self.team, period="quarter", date_from=date(2026, 10, 1))
        next_quarter = self.env["spm.rep.target"].browse(
            quarter.action_copy_to_next_period()["res_id"]
        )
        self.assertEqual(
            (next_quarter.team_id, next_quarter.date_from), (self.team, date(2027, 1, 1))
        )

    def test_copy_several_targets_at_once(self):
        targets = self._target(self.rep) | self._target(self.rep_colleague)
        action = targets.action_copy_to_next_period()
        copies = self.env["spm.rep.target"].search(action["domain"])
        self.assertEqual(copies.user_id, self.rep | self.rep_colleague)
        self.assertEqual(set(copies.mapped("date_from")), {date(2026, 12, 1)})

    def test_rep_cannot_set_targets(self):
        target = self._target(self.rep)
        with self.assertRaises(AccessError):
            self.env["spm.rep.target"].with_user(self.rep).create(
                {
                    "user_id": self.rep.id,
                    "date_from": date(2026, 12, 1),
                    "line_ids": [Command.create({"duty": "sales", "target": 1, "weight": 100})],
                }
            )
        with self.assertRaises(AccessError):
            target.with_user(self.rep).line_ids[0].target = 1.0
        with self.assertRaises(AccessError):
            target.with_user(self.rep).write({"date_from": date(2026, 12, 1)})
        with self.assertRaises(AccessError):
            target.with_user(self.rep).action_copy_to_next_period()
        with self.assertRaises(AccessError):
            target.with_user(self.rep).unlink()

    def test_manager_sets_targets(self):
        Target = self.env["spm.rep.target"].with_user(self.manager)
        target = Target.create(
            {
                "user_id": self.rep.id,
                "date_from": NOVEMBER,
                "line_ids": [Command.create({"duty": "sales", "target": 5000, "weight": 100})],
            }
        )
        target.line_ids.target = 6000
        self.assertEqual(target.line_ids.target, 6000)
        self.assertEqual(target.line_ids.unit, self.company.currency_id.symbol)
