from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .common_visit import SHOP, SpmVisitCommon

# 12:00 in Shanghai, where the rep works
NOW = datetime(2026, 3, 2, 4, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestVisitOffline(SpmVisitCommon):
    """Check-ins and check-outs kept on a phone without network, sent later."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(outcome="Met the owner")
        self._planned_at(self.visit, datetime(2026, 3, 1, 9, 0))
        self.Replay = self.env["spm.visit"].with_user(self.rep)

    def _planned_at(self, visit, when):
        """The visit as if it had been planned (created) at ``when``."""
        self.env.cr.execute(
            SQL("UPDATE spm_visit SET create_date = %s WHERE id = %s", when, visit.id)
        )
        visit.invalidate_recordset(["create_date"])

    def _replay(self, key, device_time, visit=None, kind="check_in", position=SHOP, **kwargs):
        return self.Replay.spm_replay_action(
            key,
            kind,
            (visit or self.visit).id,
            device_time,
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            **kwargs,
        )

    def _actions(self, visit=None):
        return self.env["spm.visit.action"].search([("visit_id", "=", (visit or self.visit).id)])

    # the replay
    def test_replayed_check_in_keeps_the_device_time_and_the_receipt(self):
        result = self._replay("k-1", "2026-03-02 02:10:00")
        self.assertEqual(self.visit.state, "in_progress")
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 2, 10))
        self.assertTrue(self.visit.recorded_offline)
        self.assertTrue(self.visit.location_verified)
        action = self._actions()
        self.assertEqual(action.device_time, datetime(2026, 3, 2, 2, 10))
        self.assertEqual(action.received_time, NOW)
        self.assertEqual(action.recorded_time, datetime(2026, 3, 2, 2, 10))
        self.assertEqual(action.result, "applied")
        self.assertEqual(action.user_id, self.rep)
        self.assertEqual(
            result,
            {
                "key": "k-1",
                "visit_id": self.visit.id,
                "visit": self.visit.display_name,
                "kind": "check_in",
                "device_time": "2026-03-02 02:10:00",
                "received_time": "2026-03-02 04:00:00",
                "recorded_time": "2026-03-02 02:10:00",
                "clamped": False,
                "revived": False,
                "duplicate": False,
            },
        )
        body = self.visit.message_ids[0].body
        self.assertIn("Checked in: 0 m from the customer", body)
        self.assertIn("Recorded offline: device time", body)

    def test_a_visit_checked_in_online_is_not_recorded_offline(self):
        self.visit.with_user(self.rep).action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertFalse(self.visit.recorded_offline)
        self.assertEqual(self.visit.check_in_time, NOW)

    def test_replays_in_order_check_out_then_check_in_elsewhere(self):
        self._replay("k-1", "2026-03-02 01:00:00")
        other = self._visit(start=datetime(2026, 3, 2, 3, 0))
        self._planned_at(other, datetime(2026, 3, 1, 9, 0))
        self._replay("k-2", "2026-03-02 02:00:00", kind="check_out")
        self._replay("k-3", "2026-03-02 02:30:00", visit=other)
        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.visit.check_out_time, datetime(2026, 3, 2, 2, 0))
        self.assertEqual(other.state, "in_progress")
        self.assertEqual(other.check_in_time, datetime(2026, 3, 2, 2, 30))
        self.assertEqual(self.visit.actual_duration, 1.0)

    def test_a_check_in_replayed_before_the_check_out_it_follows_is_refused(self):
        self._replay("k-1", "2026-03-02 01:00:00")
        other = self._visit(start=datetime(2026, 3, 2, 3, 0))
        with self.assertRaisesRegex(UserError, "check out of it before checking in here"):
            self._replay("k-3", "2026-03-02 02:30:00", visit=other)

    def test_a_check_out_replayed_before_its_check_in_is_refused(self):
        with self.assertRaisesRegex(UserError, "has not been checked in"):
            self._replay("k-2", "2026-03-02 02:00:00", kind="check_out")

    def test_replayed_check_out_carries_the_outcome_written_offline(self):
        visit = self._visit()
        self._planned_at(visit, datetime(2026, 3, 1, 9, 0))
        self._replay("k-1", "2026-03-02 01:00:00", visit=visit)
        self._replay(
            "k-2", "2026-03-02 02:00:00", visit=visit, kind="check_out", outcome="Took an order"
        )
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.outcome, "Took an order")

    def test_replayed_check_out_without_outcome_is_refused(self):
        visit = self._visit()
        self._planned_at(visit, datetime(2026, 3, 1, 9, 0))
        self._replay("k-1", "2026-03-02 01:00:00", visit=visit)
        with self.assertRaisesRegex(UserError, "Write the outcome"):
            self._replay("k-2", "2026-03-02 02:00:00", visit=visit, kind="check_out")

    # exactly once
    def test_a_duplicate_replay_returns_the_earlier_result_and_checks_in_once(self):
        first = self._replay("k-1", "2026-03-02 02:10:00")
        messages = len(self.visit.message_ids)
        with freeze_time("2026-03-02 04:05:00"):
            again = self._replay("k-1", "2026-03-02 02:10:00")
        self.assertEqual(again, {**first, "duplicate": True})
        self.assertEqual(len(self._actions()), 1)
        self.assertEqual(len(self.visit.message_ids), messages)
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 2, 10))

    def test_a_duplicate_replay_after_the_check_out_still_returns_the_check_in(self):
        first = self._replay("k-1", "2026-03-02 01:00:00")
        self._replay("k-2", "2026-03-02 02:00:00", kind="check_out")
        self.assertEqual(self._replay("k-1", "2026-03-02 01:00:00"), {**first, "duplicate": True})
        self.assertEqual(self.visit.state, "done")

    def test_a_key_used_for_another_visit_is_refused(self):
        self._replay("k-1", "2026-03-02 01:00:00")
        other = self._visit()
        with self.assertRaisesRegex(UserError, "The key k-1 was already used for another action"):
            self._replay("k-1", "2026-03-02 01:00:00", visit=other)

    def test_keys_are_per_rep(self):
        self._replay("k-1", "2026-03-02 01:00:00")
        other = self._visit(user=self.rep_colleague)
        self._planned_at(other, datetime(2026, 3, 1, 9, 0))
        self.env["spm.visit"].with_user(self.rep_colleague).spm_replay_action(
            "k-1", "check_in", other.id, "2026-03-02 01:30:00"
        )
        self.assertEqual(other.state, "in_progress")

    def test_a_check_in_already_sent_online_is_not_recorded_again(self):
        self.visit.with_user(self.rep).action_check_in()
        with self.assertRaisesRegex(
            UserError, "already has its Check In Time .* not recorded again"
        ):
            self._replay("k-1", "2026-03-02 03:59:00")
        self.assertFalse(self.visit.recorded_offline)

    # refused: too old, in the future
    def test_a_replay_older_than_the_setting_is_refused(self):
        with self.assertRaisesRegex(
            UserError, r"kept on the phone is dated .*more than 24 hours ago: it is too old"
        ):
            self._replay("k-1", "2026-03-01 03:59:00")
        self.assertEqual(self.visit.state, "planned")
        self.assertFalse(self._actions())

    def test_the_age_limit_is_a_company_setting(self):
        self.company.spm_offline_max_age_hours = 48
        self._planned_at(self.visit, datetime(2026, 2, 28, 9, 0))
        self._replay("k-1", "2026-03-01 03:59:00")
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 1, 3, 59))

    def test_the_age_limit_refuses_zero(self):
        with self.assertRaisesRegex(ValidationError, "between 1 hour and 30 days"):
            self.company.spm_offline_max_age_hours = 0

    def test_a_replay_dated_in_the_future_is_refused(self):
        with self.assertRaisesRegex(
            UserError, r"after the server's time .*: the phone's clock is wrong"
        ):
            self._replay("k-1", "2026-03-02 04:10:00")
        self.assertEqual(self.visit.state, "planned")

    def test_a_phone_clock_slightly_ahead_is_taken_as_the_receipt(self):
        result = self._replay("k-1", "2026-03-02 04:03:00")
        self.assertEqual(self.visit.check_in_time, NOW)
        self.assertTrue(result["clamped"])

    # bounds
    def test_device_time_before_the_reps_previous_action_is_moved_to_it(self):
        done = self._done_visit(start=datetime(2026, 3, 2, 3, 0))
        self.assertEqual(done.check_out_time, datetime(2026, 3, 2, 3, 0))
        result = self._replay("k-1", "2026-03-02 02:30:00")
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 3, 0))
        self.assertEqual(self._actions().result, "clamped")
        self.assertEqual(result["device_time"], "2026-03-02 02:30:00")
        self.assertIn("outside what the server knows", self.visit.message_ids[0].body)

    def test_device_time_before_the_visit_was_planned_is_moved_to_the_planning(self):
        self._planned_at(self.visit, datetime(2026, 3, 2, 3, 30))
        self._replay("k-1", "2026-03-02 03:00:00")
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 3, 30))

    def test_check_out_is_never_before_the_check_in(self):
        self._replay("k-1", "2026-03-02 02:00:00")
        self._replay("k-2", "2026-03-02 01:30:00", kind="check_out")
        self.assertEqual(self.visit.check_out_time, datetime(2026, 3, 2, 2, 0))

    def test_a_colleagues_actions_do_not_bound_the_reps(self):
        self._done_visit(user=self.rep_colleague, start=datetime(2026, 3, 2, 3, 0))
        self._replay("k-1", "2026-03-02 02:30:00")
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 2, 30))

    # missed visits
    def _missed_visit(self):
        # planned for 10:00 on 1 March in Shanghai, marked missed by the cron
        visit = self._visit(start=datetime(2026, 3, 1, 2, 0), outcome="Met the owner")
        self._planned_at(visit, datetime(2026, 2, 28, 9, 0))
        self.env["spm.visit"]._cron_mark_missed()
        self.assertEqual(visit.state, "missed")
        return visit

    def test_a_missed_visit_is_revived_by_a_check_in_of_its_day(self):
        visit = self._missed_visit()
        # 16:00 on 1 March in Shanghai
        result = self._replay("k-1", "2026-03-01 08:00:00", visit=visit)
        self.assertEqual(visit.state, "in_progress")
        self.assertEqual(visit.check_in_time, datetime(2026, 3, 1, 8, 0))
        self.assertTrue(visit.recorded_offline)
        self.assertTrue(result["revived"])
        self.assertTrue(self._actions(visit).revived)
        self.assertTrue(visit.message_ids.filtered(lambda m: "No longer missed" in (m.body or "")))

    def test_a_missed_visit_is_not_revived_by_a_check_in_of_another_day(self):
        visit = self._missed_visit()
        # 01:00 on 2 March in Shanghai: the day after
        with self.assertRaisesRegex(
            UserError, "was marked missed: it was planned for 2026-03-01 .* is of 2026-03-02"
        ):
            self._replay("k-1", "2026-03-01 17:00:00", visit=visit)
        self.assertEqual(visit.state, "missed")

    def test_a_revived_cadence_visit_does_not_meet_the_cron_revisit(self):
        visit = self._missed_visit()
        visit.sudo()._spm_protected().write({"cadence_planned": True})
        self.env["spm.visit"].sudo()._spm_protected().create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "planned_start": datetime(2026, 3, 3, 2, 0),
                "cadence_planned": True,
            }
        )
        self._replay("k-1", "2026-03-01 08:00:00", visit=visit)
        self.assertEqual(visit.state, "in_progress")

    def test_a_missed_visit_is_not_revived_online(self):
        visit = self._missed_visit()
        with self.assertRaisesRegex(UserError, "only a planned visit can be checked in"):
            visit.with_user(self.rep).action_check_in()

    # access
    def test_rep_cannot_mark_a_visit_recorded_offline(self):
        with self.assertRaisesRegex(AccessError, "Recorded Offline cannot be written directly"):
            self.visit.with_user(self.rep).write({"recorded_offline": True})
        with self.assertRaisesRegex(AccessError, "Recorded Offline cannot be written directly"):
            self.env["spm.visit"].with_user(self.rep).create(
                {"partner_id": self.customer.id, "recorded_offline": True}
            )

    def test_manager_cannot_mark_a_visit_recorded_offline(self):
        with self.assertRaisesRegex(AccessError, "Recorded Offline cannot be written directly"):
            self.visit.with_user(self.manager).write({"recorded_offline": True})

    def test_rep_cannot_create_alter_or_delete_the_log(self):
        self._replay("k-1", "2026-03-02 02:10:00")
        action = self._actions().with_user(self.rep)
        self.assertEqual(action.key, "k-1")
        with self.assertRaises(AccessError):
            self.env["spm.visit.action"].with_user(self.rep).create(
                {
                    "key": "forged",
                    "visit_id": self.visit.id,
                    "user_id": self.rep.id,
                    "kind": "check_in",
                    "device_time": NOW,
                    "received_time": NOW,
                    "recorded_time": NOW,
                    "result": "applied",
                }
            )
        with self.assertRaises(AccessError):
            action.write({"device_time": datetime(2026, 3, 2, 1, 0)})
        with self.assertRaises(AccessError):
            action.unlink()

    def test_rep_cannot_mark_a_visit_recorded_offline_by_a_context_default(self):
        with self.assertRaisesRegex(AccessError, "Recorded Offline cannot be written directly"):
            self.env["spm.visit"].with_user(self.rep).with_context(
                default_recorded_offline=True
            ).create({"partner_id": self.customer.id})

    def test_rep_cannot_drop_or_forge_the_log_through_the_visit(self):
        self._replay("k-1", "2026-03-02 02:10:00")
        action = self._actions()
        for command in ([(2, action.id)], [(3, action.id)], [(5,)]):
            with self.subTest(command=command), self.assertRaises(AccessError):
                self.visit.with_user(self.rep).write({"spm_offline_action_ids": command})
        with self.assertRaises(AccessError):
            self.visit.with_user(self.rep).write(
                {"spm_offline_action_ids": [(0, 0, {"key": "forged", "kind": "check_in"})]}
            )
        self.assertTrue(action.exists())
        self.assertEqual(action.visit_id, self.visit)

    def test_nobody_alters_the_log(self):
        self._replay("k-1", "2026-03-02 02:10:00")
        with self.assertRaisesRegex(AccessError, "Device Time cannot be written directly"):
            self._actions().sudo().write({"device_time": datetime(2026, 3, 2, 1, 0)})

    def test_manager_reads_the_log_and_filters_offline_visits(self):
        self._replay("k-1", "2026-03-02 02:10:00")
        self.assertEqual(self._actions().with_user(self.manager).read(["key"])[0]["key"], "k-1")
        offline = (
            self.env["spm.visit"]
            .with_user(self.manager)
            .search([("recorded_offline", "=", True), ("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(offline, self.visit)

    def test_a_colleague_does_not_read_the_reps_log(self):
        self._replay("k-1", "2026-03-02 02:10:00")
        self.assertFalse(self.env["spm.visit.action"].with_user(self.rep_colleague).search([]))

    def test_rep_cannot_replay_on_another_reps_visit(self):
        other = self._visit(user=self.rep_colleague)
        with self.assertRaises(AccessError):
            self._replay("k-1", "2026-03-02 02:10:00", visit=other)
        self.assertEqual(other.state, "planned")

    def test_a_replay_on_a_deleted_visit_is_refused(self):
        visit = self._visit()
        visit_id = visit.id
        visit.unlink()
        with self.assertRaisesRegex(UserError, "no longer exists"):
            self.Replay.spm_replay_action("k-1", "check_in", visit_id, "2026-03-02 02:10:00")

    # bad input
    def test_bad_device_times_are_refused(self):
        for device_time in ("yesterday", 12345, "2026-02-30 10:00:00", None, ["2026-03-02"], ""):
            with (
                self.subTest(device_time=device_time),
                self.assertRaisesRegex(
                    ValidationError, "The device time .* must be a UTC time written YYYY-MM-DD"
                ),
            ):
                self._replay("k-1", device_time)

    def test_bad_keys_are_refused(self):
        for key in ("", "x" * 65, None, 42, ["k"], "a key", "clé"):
            with (
                self.subTest(key=key),
                self.assertRaisesRegex(
                    ValidationError, "The key of an action kept on the phone must be 1 to 64"
                ),
            ):
                self._replay(key, "2026-03-02 02:10:00")

    def test_unknown_kinds_are_refused(self):
        for kind in ("teleport", None, 1, ["check_in"]):
            with (
                self.subTest(kind=kind),
                self.assertRaisesRegex(ValidationError, "is a check-in or a check-out"),
            ):
                self._replay("k-1", "2026-03-02 02:10:00", kind=kind)

    def test_bad_visit_ids_are_refused(self):
        for visit_id in ("5", True, -1, None, [1]):
            with (
                self.subTest(visit_id=visit_id),
                self.assertRaisesRegex(ValidationError, "must be given by its id"),
            ):
                self.Replay.spm_replay_action("k-1", "check_in", visit_id, "2026-03-02 02:10:00")

    def test_bad_positions_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not a pair of numbers"):
            self._replay("k-1", "2026-03-02 02:10:00", position=(True, 121.0))
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self._replay("k-1", "2026-03-02 02:10:00", position=(91.0, 121.0))

    def test_a_bad_outcome_is_refused(self):
        self._replay("k-1", "2026-03-02 02:00:00")
        with self.assertRaisesRegex(ValidationError, "Outcome of Customer Visit must be"):
            self._replay("k-2", "2026-03-02 02:30:00", kind="check_out", outcome=["x"])
