from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_atmosphere import SpmAtmosphereCommon


@tagged("post_install", "-at_install")
class TestAtmosphereAudit(SpmAtmosphereCommon):
    """The store atmosphere audit of a visit and the score of the outlet."""

    # ------------------------------------------------------------------
    # The audit of a visit
    # ------------------------------------------------------------------

    def test_audit_button_adds_the_four_elements_unscored(self):
        visit = self._checked_in()
        visit.with_user(self.rep).action_spm_audit_atmosphere()
        lines = visit.atmosphere_line_ids
        self.assertEqual(lines.mapped("element"), ["pop", "colour", "music", "staff"])
        self.assertEqual(set(lines.mapped("score")), {"0"})
        self.assertEqual(visit.atmosphere_score, 0.0)

    def test_audit_button_adds_only_the_missing_elements(self):
        visit = self._checked_in()
        self.Line.with_user(self.rep).create(
            {"visit_id": visit.id, "element": "music", "score": "2"}
        )
        visit.with_user(self.rep).action_spm_audit_atmosphere()
        self.assertEqual(len(visit.atmosphere_line_ids), 4)
        music = visit.atmosphere_line_ids.filtered(lambda line: line.element == "music")
        self.assertEqual(music.score, "2")

    def test_visit_score_is_the_average_of_the_scored_elements(self):
        visit = self._checked_in()
        self._score(visit, {"pop": 5, "colour": 4, "music": 2})
        # staff behaviour not scored: it does not count
        self.assertAlmostEqual(visit.atmosphere_score, 11 / 3, places=2)
        self.assertEqual(
            visit.atmosphere_line_ids.filtered(lambda line: line.element == "staff").score_value,
            0,
        )

    def test_rep_scores_on_the_phone_form_with_a_note(self):
        visit = self._checked_in()
        with Form(visit.with_user(self.rep)) as form:
            with form.atmosphere_line_ids.new() as line:
                line.element = "staff"
                line.score = "4"
                line.note = "Staff greet every customer"
        line = visit.atmosphere_line_ids
        self.assertEqual((line.element, line.score), ("staff", "4"))
        self.assertEqual(line.note, "Staff greet every customer")
        self.assertEqual(line.user_id, self.rep)
        self.assertEqual(line.partner_id, self.customer)
        self.assertEqual(line.region_id, self.region_sh)

    def test_a_score_sent_as_a_number_is_the_same_score(self):
        visit = self._checked_in()
        line = self.Line.with_user(self.rep).create(
            {"visit_id": visit.id, "element": "pop", "score": 4}
        )
        self.assertEqual(line.score, "4")
        line.with_user(self.rep).write({"score": False})
        self.assertEqual(line.score, "0")
        self.assertFalse(line.scored)

    # ------------------------------------------------------------------
    # The outlet's score, trend and flag
    # ------------------------------------------------------------------

    def test_outlet_score_comes_from_the_latest_done_audit(self):
        self._audited_visit(self._all(4), "2026-03-02")
        self.assertEqual(self.customer.spm_atmosphere_score, 4.0)
        self.assertEqual(str(self.customer.spm_atmosphere_date), "2026-03-02")
        self.assertFalse(self.customer.spm_atmosphere_trend)
        self.assertFalse(self.customer.spm_atmosphere_poor)

    def test_an_audit_counts_as_soon_as_the_rep_scores_it(self):
        self._audited_visit(self._all(4), "2026-03-02")
        visit = self._checked_in(when="2026-03-09 02:00:00")
        self._score(visit, {"pop": 1})
        self.assertEqual(self.customer.spm_atmosphere_score, 1.0)
        self.assertEqual(str(self.customer.spm_atmosphere_date), "2026-03-09")
        self._score(visit, {"colour": 3})
        self.assertEqual(self.customer.spm_atmosphere_score, 2.0)
        self.assertEqual(self.customer.spm_atmosphere_trend, "down")

    def test_a_managers_check_in_correction_moves_the_audit_day(self):
        self._audited_visit(self._all(2), "2026-03-02")
        visit = self._audited_visit(self._all(4), "2026-03-09")
        self.assertEqual(self.customer.spm_atmosphere_score, 4.0)
        # the second visit really took place before the first one
        visit.with_user(self.manager).write(
            {"check_in_time": "2026-02-23 02:00:00", "check_out_time": "2026-02-23 03:00:00"}
        )
        self.assertEqual(str(visit.atmosphere_line_ids[:1].visit_date), "2026-02-23")
        self.assertEqual(self.customer.spm_atmosphere_score, 2.0)
        self.assertEqual(str(self.customer.spm_atmosphere_date), "2026-03-02")
        self.assertEqual(self.customer.spm_atmosphere_trend, "down")
        self.assertTrue(self.customer.spm_atmosphere_poor)

    def test_a_visit_without_audit_keeps_the_latest_audit(self):
        self._audited_visit(self._all(4), "2026-03-02")
        visit = self._checked_in(when="2026-03-09 02:00:00")
        self._check_out(visit, "2026-03-09 03:00:00")
        self.assertEqual(self.customer.spm_atmosphere_score, 4.0)
        self.assertEqual(str(self.customer.spm_atmosphere_date), "2026-03-02")

    def test_a_falling_score_below_the_threshold_flags_the_outlet(self):
        self._audited_visit({"pop": 4, "colour": 4, "music": 3, "staff": 3}, "2026-03-02")
        self._audited_visit({"pop": 3, "colour": 2, "music": 2, "staff": 3}, "2026-03-16")
        self.assertEqual(self.customer.spm_atmosphere_score, 2.5)
        self.assertEqual(self.customer.spm_atmosphere_previous_score, 3.5)
        self.assertEqual(self.customer.spm_atmosphere_trend, "down")
        self.assertTrue(self.customer.spm_atmosphere_poor)
        poor = self.env["res.partner"].search([("spm_atmosphere_poor", "=", True)])
        self.assertIn(self.customer, poor)

    def test_a_rising_score_is_up_and_an_equal_one_steady(self):
        self._audited_visit(self._all(2), "2026-03-02")
        self._audited_visit(self._all(4), "2026-03-09")
        self.assertEqual(self.customer.spm_atmosphere_trend, "up")
        self.assertFalse(self.customer.spm_atmosphere_poor)
        self._audited_visit(self._all(4), "2026-03-16")
        self.assertEqual(self.customer.spm_atmosphere_trend, "flat")
        self.assertEqual(self.customer.spm_atmosphere_previous_score, 4.0)

    def test_a_score_at_the_threshold_is_not_poor(self):
        self._audited_visit(self._all(3), "2026-03-02")
        self.assertEqual(self.customer.spm_atmosphere_score, 3.0)
        self.assertFalse(self.customer.spm_atmosphere_poor)

    def test_a_new_audit_recomputes_score_trend_and_flag(self):
        self._audited_visit(self._all(4), "2026-03-02")
        self._audited_visit(self._all(2), "2026-03-09")
        self.assertTrue(self.customer.spm_atmosphere_poor)
        self._audited_visit(self._all(5), "2026-03-16")
        self.assertEqual(self.customer.spm_atmosphere_score, 5.0)
        self.assertEqual(self.customer.spm_atmosphere_previous_score, 2.0)
        self.assertEqual(self.customer.spm_atmosphere_trend, "up")
        self.assertFalse(self.customer.spm_atmosphere_poor)

    def test_changing_the_threshold_flags_the_outlets_again(self):
        self._audited_visit(self._all(3), "2026-03-02")
        self.assertFalse(self.customer.spm_atmosphere_poor)
        settings = self.env["res.config.settings"].create({"spm_atmosphere_threshold": 3.5})
        settings.execute()
        self.assertEqual(self.company.spm_atmosphere_threshold, 3.5)
        self.assertTrue(self.customer.spm_atmosphere_poor)

    def test_the_threshold_is_a_score_between_1_and_5(self):
        self.assertEqual(self.other_company.spm_atmosphere_threshold, 3.0)
        for value in (0.5, 5.5, -1):
            with self.assertRaisesRegex(ValidationError, "between 1 and 5"), self.cr.savepoint():
                self.company.spm_atmosphere_threshold = value

    def test_a_managers_correction_of_a_done_audit_recomputes_and_is_logged(self):
        visit = self._audited_visit(self._all(4), "2026-03-02")
        music = visit.atmosphere_line_ids.filtered(lambda line: line.element == "music")
        music.with_user(self.manager).score = "1"
        self.assertEqual(visit.atmosphere_score, 3.25)
        self.assertEqual(self.customer.spm_atmosphere_score, 3.25)
        self.assertIn("Music 4 → 1", visit.message_ids[0].body)
        self.assertIn(self.manager.name, visit.message_ids[0].body)

    # ------------------------------------------------------------------
    # Refusals
    # ------------------------------------------------------------------

    def test_a_score_outside_1_to_5_is_refused(self):
        visit = self._checked_in()
        for value in ("7", 6, -1, "4.5", 3.0):
            with (
                self.subTest(score=value),
                self.assertRaisesRegex(ValidationError, r"Score .* from 1 \(poor\) to 5"),
                self.cr.savepoint(),
            ):
                self.Line.with_user(self.rep).create(
                    {"visit_id": visit.id, "element": "pop", "score": value}
                )
        self.assertFalse(visit.atmosphere_line_ids)

    def test_a_second_line_for_an_element_is_refused(self):
        visit = self._checked_in()
        self._score(visit, {"pop": 4})
        with self.assertRaisesRegex(ValidationError, "already scores POP"):
            self.Line.with_user(self.rep).create(
                {"visit_id": visit.id, "element": "pop", "score": "2"}
            )

    def test_two_lines_for_an_element_in_one_save_are_refused(self):
        visit = self._checked_in()
        with self.assertRaisesRegex(ValidationError, "already scores Music"):
            visit.with_user(self.rep).write(
                {
                    "atmosphere_line_ids": [
                        Command.create({"element": "music", "score": "3"}),
                        Command.create({"element": "music", "score": "4"}),
                    ]
                }
            )

    def test_replacing_a_line_in_one_save_is_accepted(self):
        visit = self._checked_in()
        self._score(visit, {"pop": 2})
        pop = visit.atmosphere_line_ids.filtered(lambda line: line.element == "pop")
        visit.with_user(self.rep).write(
            {
                "atmosphere_line_ids": [
                    Command.delete(pop.id),
                    Command.create({"element": "pop", "score": "5"}),
                ]
            }
        )
        pop = visit.atmosphere_line_ids.filtered(lambda line: line.element == "pop")
        self.assertEqual(pop.score, "5")

    def test_the_element_of_a_line_is_not_changed(self):
        visit = self._checked_in()
        self._score(visit, {"pop": 2})
        line = visit.atmosphere_line_ids.filtered(lambda line: line.element == "colour")
        with self.assertRaisesRegex(AccessError, "Element.* cannot be written directly"):
            line.with_user(self.rep).element = "pop"

    def test_a_line_without_element_is_refused(self):
        visit = self._checked_in()
        with self.assertRaisesRegex(ValidationError, "Choose the element"):
            self.Line.with_user(self.rep).create({"visit_id": visit.id, "score": "3"})

    def test_a_line_without_visit_is_refused(self):
        with self.assertRaisesRegex(UserError, "belongs to a visit"):
            self.Line.with_user(self.rep).create({"element": "pop", "score": "3"})

    def test_a_planned_visit_is_not_audited(self):
        visit = self._visit()
        with self.assertRaisesRegex(UserError, "is Planned: the store atmosphere is audited"):
            visit.with_user(self.rep).action_spm_audit_atmosphere()
        with self.assertRaisesRegex(UserError, "is Planned"):
            self.Line.with_user(self.manager).create({"visit_id": visit.id, "element": "pop"})

    def test_rep_cannot_change_the_audit_of_a_done_visit(self):
        visit = self._audited_visit(self._all(4))
        line = visit.atmosphere_line_ids[:1]
        message = "is done: its atmosphere audit is a record of the visit"
        with self.assertRaisesRegex(UserError, message):
            line.with_user(self.rep).score = "5"
        with self.assertRaisesRegex(UserError, message):
            line.with_user(self.rep).note = "Better now"
        with self.assertRaisesRegex(UserError, message):
            line.with_user(self.rep).unlink()
        with self.assertRaisesRegex(UserError, message):
            visit.with_user(self.rep).write(
                {"atmosphere_line_ids": [Command.update(line.id, {"score": "1"})]}
            )
        self.assertEqual(line.score, "4")
        self.assertFalse(visit.with_user(self.rep).atmosphere_editable)
        self.assertTrue(visit.with_user(self.manager).atmosphere_editable)

    def test_rep_cannot_audit_another_reps_visit(self):
        visit = self._checked_in(user=self.rep_colleague)
        message = "only the rep of a visit audits the store atmosphere"
        with self.assertRaisesRegex(AccessError, message):
            self.Line.with_user(self.rep).create({"visit_id": visit.id, "element": "pop"})
        with self.assertRaisesRegex(AccessError, message):
            visit.with_user(self.rep).action_spm_audit_atmosphere()
        self._score(visit, {"pop": 3})
        with self.assertRaisesRegex(AccessError, message):
            visit.atmosphere_line_ids[:1].with_user(self.rep).score = "5"
        self.assertFalse(visit.with_user(self.rep).atmosphere_editable)

    def test_nobody_writes_the_scores_computed_from_the_audits(self):
        self._audited_visit(self._all(2))
        for env in (self.rep.env, self.manager.env):
            with (
                self.assertRaisesRegex(AccessError, "Atmosphere Score.* cannot be written"),
                self.cr.savepoint(),
            ):
                self.customer.with_env(env).write({"spm_atmosphere_score": 5.0})
            with self.assertRaisesRegex(AccessError, "cannot be written"), self.cr.savepoint():
                self.customer.with_env(env).write({"spm_atmosphere_poor": False})
        line = self.customer.spm_visit_ids.atmosphere_line_ids[:1]
        with self.assertRaisesRegex(AccessError, "Sales Rep.* cannot be written directly"):
            line.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertTrue(self.customer.spm_atmosphere_poor)

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_bad_input_names_the_field(self):
        visit = self._checked_in()
        cases = [
            ({"score": True}, "Score"),
            ({"score": ["4"]}, "Score"),
            ({"element": "smell"}, "Element"),
            ({"note": ["nice"]}, "Note"),
            ({"visit_id": "abc"}, "Visit"),
        ]
        for vals, label in cases:
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, label),
                self.cr.savepoint(),
            ):
                self.Line.with_user(self.rep).create(
                    {"visit_id": visit.id, "element": "pop", **vals}
                )
