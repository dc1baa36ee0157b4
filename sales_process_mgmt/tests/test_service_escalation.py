from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.spm_manager import manager_to_notify
from .common import SpmCommon

# Monday 2 March 2026, 09:00 in Shanghai: on the 08:00-17:00 calendar of the company
# (Shanghai time), a Normal request (8 h to respond, 40 h to resolve) is to be answered
# by Tuesday 09:00 (01:00 UTC) and resolved by the next Monday 09:00 (01:00 UTC).
OPENED = "2026-03-02 01:00:00"
RESPONSE_DUE = "2026-03-03 01:00:00"
RESPONSE_LATE = "2026-03-03 02:00:00"
RESOLUTION_LATE = "2026-03-09 02:00:00"
ESCALATION = "sales_process_mgmt.mail_activity_type_spm_service_escalation"


@contextmanager
def opened_at(env, moment):
    """Requests created in ``env`` now are created at ``moment``: the clock frozen, and
    the transaction's timestamp too (their creation date, the start of their SLA)."""
    with freeze_time(moment), patch.object(env.cr, "_now", fields.Datetime.to_datetime(moment)):
        yield


def escalations(env, requests):
    return env["mail.activity"].search(
        [
            ("res_model", "=", "spm.service.request"),
            ("res_id", "in", requests.ids),
            ("activity_type_id", "=", env.ref(ESCALATION).id),
        ]
    )


def escalation_notes(requests):
    return requests.message_ids.filtered(lambda message: "SLA breached" in (message.body or ""))


class SpmServiceEscalationCommon(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for company in cls.company | cls.other_company:
            company.resource_calendar_id.tz = "Asia/Shanghai"
        # the other company has the default service levels of a new company (Normal:
        # 8 working hours to the first response, 40 to the resolution)
        all_documents = "sales_team.group_sale_salesman_all_leads"
        cls.leader = new_test_user(
            cls.env,
            login="spm_service_leader",
            name="Team Leader",
            groups=all_documents,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
            tz="Asia/Shanghai",
        )
        cls.other_leader = new_test_user(
            cls.env,
            login="spm_service_other_leader",
            name="Other Leader",
            groups=all_documents,
            company_id=cls.other_company.id,
            company_ids=cls.other_company.ids,
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "After-sales East", "user_id": cls.leader.id, "company_id": cls.company.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other After-sales",
                "user_id": cls.other_leader.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nanjing Road Outlet", "is_company": True, "user_id": cls.rep.id}
        )
        cls.Request = cls.env["spm.service.request"]

    @classmethod
    def _request(cls, subject="Handset does not charge", **values):
        with opened_at(cls.env, OPENED):
            return cls.Request.create(
                {
                    "subject": subject,
                    "partner_id": cls.customer.id,
                    "user_id": cls.rep.id,
                    "team_id": cls.team.id,
                    "priority": "1",
                    **values,
                }
            )

    @classmethod
    def _other_company_request(cls, **values):
        return cls._request(
            **{
                "company_id": cls.other_company.id,
                "partner_id": False,
                "user_id": cls.other_rep.id,
                "team_id": cls.other_team.id,
                **values,
            }
        )

    def _run(self, at, **kwargs):
        with freeze_time(at):
            return self.Request._cron_escalate_overdue(**kwargs)


@tagged("post_install", "-at_install")
class TestServiceEscalation(SpmServiceEscalationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._request()

    def test_deadlines_are_on_the_company_calendar(self):
        self.assertEqual(str(self.request.response_deadline), RESPONSE_DUE)
        self.assertEqual(str(self.request.resolution_deadline), "2026-03-09 01:00:00")

    def test_nothing_is_flagged_before_the_deadline(self):
        self.assertEqual(self._run("2026-03-03 00:59:00"), 0)
        self.assertFalse(self.request.sla_breached)
        self.assertFalse(self.request.escalated)
        self.assertFalse(escalations(self.env, self.request))

    def test_a_first_response_late_is_flagged_and_escalated_to_the_team_leader(self):
        self.assertEqual(self._run(RESPONSE_LATE), 1)
        self.assertTrue(self.request.response_breached)
        self.assertFalse(self.request.resolution_breached)
        self.assertTrue(self.request.sla_breached)
        self.assertTrue(self.request.escalated)
        todo = escalations(self.env, self.request)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.leader)
        self.assertEqual(str(todo.date_deadline), "2026-03-03")
        self.assertEqual(todo.summary, f"Overdue: {self.request.name} Handset does not charge")
        self.assertIn(self.leader.partner_id, self.request.message_partner_ids)
        note = escalation_notes(self.request)
        self.assertEqual(len(note), 1)
        # the deadline on the company calendar's clock (Shanghai)
        self.assertIn(
            "The first response was due by 03/03/2026 09:00:00 and has not come.", note.body
        )
        self.assertIn("Escalated to Team Leader.", note.body)
        self.assertNotIn("resolution", note.body)

    def test_a_second_run_escalates_nothing(self):
        self._run(RESPONSE_LATE)
        self.assertEqual(self._run("2026-03-03 03:00:00"), 0)
        self.assertEqual(len(escalations(self.env, self.request)), 1)
        self.assertEqual(len(escalation_notes(self.request)), 1)

    def test_the_resolution_late_after_an_escalation_is_flagged_without_a_second_escalation(self):
        self._run(RESPONSE_LATE)
        self.assertEqual(self._run(RESOLUTION_LATE), 1)
        self.assertTrue(self.request.resolution_breached)
        self.assertEqual(len(escalations(self.env, self.request)), 1)
        self.assertEqual(len(escalation_notes(self.request)), 1)
        self.assertEqual(self._run("2026-03-09 03:00:00"), 0)

    def test_both_deadlines_passed_are_flagged_and_noted_at_once(self):
        self.assertEqual(self._run(RESOLUTION_LATE), 1)
        self.assertTrue(self.request.response_breached)
        self.assertTrue(self.request.resolution_breached)
        note = escalation_notes(self.request)
        self.assertIn("The first response was due by 03/03/2026 09:00:00", note.body)
        self.assertIn(
            "The resolution was due by 03/09/2026 09:00:00 and the request is still open.",
            note.body,
        )
        self.assertEqual(len(escalations(self.env, self.request)), 1)

    def test_a_request_answered_in_time_is_escalated_when_its_resolution_is_late(self):
        with freeze_time("2026-03-02 03:00:00"):
            self.request.action_start()
        self.assertEqual(self._run(RESPONSE_LATE), 0)
        self.assertEqual(self._run(RESOLUTION_LATE), 1)
        self.assertFalse(self.request.response_breached)
        self.assertTrue(self.request.resolution_breached)
        self.assertTrue(self.request.escalated)
        note = escalation_notes(self.request)
        self.assertIn("The resolution was due by 03/09/2026 09:00:00", note.body)
        self.assertNotIn("first response", note.body)

    def test_a_first_response_met_late_is_escalated_when_its_resolution_is_late(self):
        with freeze_time(RESPONSE_LATE):
            self.request.action_start()
        self.assertTrue(self.request.response_breached)
        self.assertEqual(self._run("2026-03-03 03:00:00"), 0)
        self.assertFalse(self.request.escalated)
        self.assertEqual(self._run(RESOLUTION_LATE), 1)
        self.assertTrue(self.request.escalated)
        self.assertEqual(len(escalations(self.env, self.request)), 1)

    def test_a_request_resolved_late_keeps_its_breach(self):
        self._run(RESPONSE_LATE)
        with freeze_time(RESOLUTION_LATE):
            self.request.write({"resolution": "<p>Replaced the charger</p>"})
            self.request.action_resolve()
        self.assertTrue(self.request.response_breached)
        self.assertTrue(self.request.resolution_breached)
        self.assertTrue(self.request.sla_breached)
        self.assertTrue(self.request.escalated)
        self.request.action_close()
        self.request.action_reopen("The charger fails again")
        self.assertTrue(self.request.sla_breached)
        self.assertTrue(self.request.escalated)
        self.assertEqual(self._run("2026-03-10 02:00:00"), 0)

    def test_a_request_resolved_in_time_is_not_flagged(self):
        with freeze_time("2026-03-02 03:00:00"):
            self.request.write({"resolution": "<p>Replaced the charger</p>"})
            self.request.action_resolve()
        self.assertEqual(self._run(RESOLUTION_LATE), 0)
        self.assertFalse(self.request.sla_breached)
        self.assertFalse(self.request.escalated)

    def test_cancelled_requests_are_not_flagged(self):
        self.request.action_cancel()
        self.assertEqual(self._run(RESOLUTION_LATE), 0)
        self.assertFalse(self.request.sla_breached)

    def test_the_escalation_is_done_when_the_rep_resolves_the_request(self):
        self._run(RESPONSE_LATE)
        request = self.request.with_user(self.rep)
        with freeze_time("2026-03-04 02:00:00"):
            request.write({"resolution": "<p>Replaced the charger</p>"})
            request.action_resolve()
        self.assertFalse(escalations(self.env, self.request))
        self.assertIn("The request is Resolved.", self.request.message_ids[0].body)

    def test_the_leader_sees_the_escalated_request_and_its_todo(self):
        self._run(RESPONSE_LATE)
        request = self.request.with_user(self.leader)
        self.assertEqual(request.activity_ids.user_id, self.leader)
        self.assertTrue(request.sla_breached)

    def test_nobody_writes_the_escalation_directly(self):
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.request.with_user(self.rep).write({"escalated": True})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.request.with_user(self.manager).write({"response_breached": True})
        self._run(RESPONSE_LATE)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.request.with_user(self.manager).write({"escalated": False})
        self.assertTrue(self.request.escalated)


@tagged("post_install", "-at_install")
class TestServiceEscalationLeader(SpmServiceEscalationCommon):
    def _escalated_to(self, request, at=RESPONSE_LATE):
        self._run(at)
        return escalations(self.env, request).user_id

    def test_a_leader_who_sees_only_his_own_requests_is_passed_over_for_the_manager(self):
        self.leader.groups_id -= self.env.ref("sales_team.group_sale_salesman_all_leads")
        request = self._request()
        expected = manager_to_notify(
            self.env, self.company, "sales_team.group_sale_manager", excluded=self.rep
        )
        to = self._escalated_to(request)
        self.assertEqual(to, expected)
        self.assertTrue(to.has_group("sales_team.group_sale_manager"))
        self.assertTrue(request.with_user(to).activity_ids)

    def test_a_team_without_leader_escalates_to_the_manager(self):
        self.team.user_id = False
        request = self._request()
        to = self._escalated_to(request)
        self.assertTrue(to.has_group("sales_team.group_sale_manager"))
        self.assertNotEqual(to, self.rep)

    def test_a_rep_leading_his_own_team_is_not_his_own_escalation(self):
        self.rep.groups_id += self.env.ref("sales_team.group_sale_salesman_all_leads")
        self.team.user_id = self.rep
        request = self._request()
        to = self._escalated_to(request)
        self.assertTrue(to)
        self.assertNotEqual(to, self.rep)
        self.assertTrue(to.has_group("sales_team.group_sale_manager"))

    def test_requests_of_another_company_go_to_its_leader(self):
        request, other = self._request(), self._other_company_request()
        self._run(RESPONSE_LATE)
        self.assertEqual(escalations(self.env, request).user_id, self.leader)
        self.assertEqual(escalations(self.env, other).user_id, self.other_leader)

    def test_a_leader_of_another_company_is_passed_over(self):
        shared = self.env["crm.team"].create({"name": "Key Accounts", "user_id": self.leader.id})
        other = self._other_company_request(team_id=shared.id)
        self._run(RESPONSE_LATE)
        self.assertNotEqual(escalations(self.env, other).user_id, self.leader)

    def test_with_nobody_to_escalate_to_the_chatter_says_so(self):
        self.other_team.user_id = False
        other = self._other_company_request()
        self.assertEqual(self._run(RESPONSE_LATE), 1)
        self.assertTrue(other.escalated)
        self.assertFalse(escalations(self.env, other))
        self.assertIn(
            "Nobody to escalate to: give the sales team a leader who sees all documents, "
            "or give Other Co a sales manager.",
            escalation_notes(other).body,
        )


@tagged("post_install", "-at_install")
class TestServiceEscalationBatches(SpmServiceEscalationCommon):
    def test_the_job_runs_in_batches(self):
        requests = self.Request.browse()
        for index in range(5):
            requests |= self._request(subject=f"Request {index}")
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            done = self._run(RESPONSE_LATE, batch_size=2)
        self.assertEqual(done, 5)
        self.assertEqual(progress.call_count, 3)
        self.assertTrue(all(requests.mapped("escalated")))
        self.assertEqual(len(escalations(self.env, requests)), 5)

    def test_under_the_scheduler_one_batch_a_call(self):
        for index in range(3):
            self._request(subject=f"Request {index}")
        with (
            freeze_time(RESPONSE_LATE),
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress,
        ):
            done = self.Request.with_context(ir_cron_progress_id=1)._cron_escalate_overdue(
                batch_size=1
            )
        self.assertEqual(done, 1)
        progress.assert_called_once_with(done=1, remaining=2)

    def test_the_earliest_deadline_goes_first(self):
        normal = self._request(subject="Normal")
        urgent = self._request(subject="Urgent", priority="3")  # to answer in 2 hours
        with freeze_time(RESPONSE_LATE):
            self.Request.with_context(ir_cron_progress_id=1)._cron_escalate_overdue(batch_size=1)
        self.assertTrue(urgent.escalated)
        self.assertFalse(normal.escalated)

    def test_a_batch_costs_the_same_queries_for_more_requests(self):
        def batch_queries(count):
            self._request_batch(count)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(self._run(RESPONSE_LATE, batch_size=1000), count)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        batch_queries(2)  # the caches of the users and the activity type
        small = batch_queries(10)
        self.assertEqual(batch_queries(100), small)

    def _request_batch(self, count):
        with opened_at(self.env, OPENED):
            return self.Request.create(
                [
                    {
                        "subject": f"Request {index}",
                        "partner_id": self.customer.id,
                        "user_id": self.rep.id,
                        "team_id": self.team.id,
                    }
                    for index in range(count)
                ]
            )
