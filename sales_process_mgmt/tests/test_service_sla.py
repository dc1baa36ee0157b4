from datetime import datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.spm_service_sla import add_working_hours, working_hours_between
from .common_service import FRIDAY_17_SHANGHAI, SpmServiceCommon

# Monday 12 January 2026, 12:00 in Shanghai
MONDAY_12_SHANGHAI = datetime(2026, 1, 12, 4, 0)


@tagged("post_install", "-at_install")
class TestServiceSla(SpmServiceCommon):
    # -- working hours ------------------------------------------------------------

    def test_friday_17_with_four_working_hours_is_due_monday_noon(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        self.assertEqual(request.sla_id, self.sla_normal)
        self.assertEqual(request.response_deadline, MONDAY_12_SHANGHAI)
        # 16 hours: Monday and Tuesday, to Tuesday 17:00 in Shanghai
        self.assertEqual(request.resolution_deadline, datetime(2026, 1, 13, 9, 0))

    def test_lunch_break_is_not_working_time(self):
        # Wednesday 10:00 in Shanghai + 4 working hours: 10-12, then 13-15
        with self.at(datetime(2026, 1, 7, 2, 0)):
            request = self._request()
        self.assertEqual(request.response_deadline, datetime(2026, 1, 7, 7, 0))

    def test_public_holiday_of_the_calendar_is_skipped(self):
        # Monday 12 January is a public holiday of the company: a leave of the calendar
        # for nobody in particular
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "resource_id": False,
                "date_from": datetime(2026, 1, 11, 16, 0),
                "date_to": datetime(2026, 1, 12, 15, 59, 59),
            }
        )
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        self.assertEqual(request.response_deadline, MONDAY_12_SHANGHAI + timedelta(days=1))

    def test_leave_of_one_employee_is_not_a_holiday(self):
        resource = self.env["resource.resource"].create(
            {"name": "Someone", "calendar_id": self.calendar.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Someone's day off",
                "calendar_id": self.calendar.id,
                "resource_id": resource.id,
                "date_from": datetime(2026, 1, 11, 16, 0),
                "date_to": datetime(2026, 1, 12, 15, 59, 59),
            }
        )
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        self.assertEqual(request.response_deadline, MONDAY_12_SHANGHAI)

    def test_deadline_is_on_the_calendar_clock_of_the_company(self):
        # Friday 17:00 in Brussels (UTC+1 in January) is due Monday 12:00 in Brussels
        self.company.resource_calendar_id = self._calendar("Brussels Office", "Europe/Brussels")
        with self.at(datetime(2026, 1, 9, 16, 0)):
            request = self._request()
        self.assertEqual(request.response_deadline, datetime(2026, 1, 12, 11, 0))

    def test_timezone_of_the_rep_does_not_move_the_deadline(self):
        self.rep.tz = "America/New_York"
        with self.at(FRIDAY_17_SHANGHAI):
            request = (
                self.env["spm.service.request"]
                .with_user(self.rep)
                .with_context(tz="Pacific/Auckland", employee_timezone="America/New_York")
                .create({"subject": "Screen flickers", "partner_id": self.customer.id})
            )
        self.assertEqual(request.user_id, self.rep)
        self.assertEqual(request.response_deadline, MONDAY_12_SHANGHAI)

    def test_working_hours_between_counts_back_as_negative(self):
        self.assertEqual(
            working_hours_between(self.company, FRIDAY_17_SHANGHAI, MONDAY_12_SHANGHAI), 4.0
        )
        self.assertEqual(
            working_hours_between(self.company, MONDAY_12_SHANGHAI, FRIDAY_17_SHANGHAI), -4.0
        )
        self.assertEqual(
            add_working_hours(self.company, MONDAY_12_SHANGHAI, -4), datetime(2026, 1, 12, 0, 0)
        )

    # -- hours left -----------------------------------------------------------------

    def test_hours_left_counts_working_hours_to_the_next_deadline(self):
        with self.at(FRIDAY_17_SHANGHAI - timedelta(hours=2)):  # Friday 15:00
            request = self._request()  # respond by Monday 10:00
            self.assertEqual(request.hours_left, 4.0)
            self.assertEqual(request.sla_status, "on_time")
        with self.at(datetime(2026, 1, 10, 3, 0)):  # Saturday
            request.invalidate_recordset(["hours_left", "sla_status"])
            self.assertEqual(request.hours_left, 2.0)
            self.assertEqual(request.sla_status, "due_soon")
        with self.at(datetime(2026, 1, 12, 2, 0)):  # Monday 10:00
            request.action_start()
            request.invalidate_recordset(["hours_left", "sla_status"])
            # the resolution: Friday 15:00 + 16 h = Tuesday 15:00; 12 h to go
            self.assertEqual(request.hours_left, 12.0)
            self.assertEqual(request.sla_status, "on_time")

    def test_hours_left_of_a_passed_deadline_is_negative(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 6, 0)):  # Monday 14:00
            self.assertEqual(request.hours_left, -1.0)
            self.assertEqual(request.sla_status, "breached")

    def test_hours_left_of_many_requests_reads_the_calendar_once(self):
        with self.at(FRIDAY_17_SHANGHAI):
            requests = self._request() | self._request() | self._request(priority="3")

        def queries(records):
            records.invalidate_recordset(["hours_left", "sla_status"])
            before = self.env.cr.sql_log_count
            hours = records.mapped("hours_left")
            return self.env.cr.sql_log_count - before, hours

        with self.at(datetime(2026, 1, 12, 1, 0)):  # Monday 9:00
            queries(requests)
            one, _hours = queries(requests[0])
            three, hours = queries(requests)
        self.assertEqual(hours, [3.0, 3.0, 1.0])
        self.assertEqual(three, one)

    def test_search_hours_left(self):
        with self.at(FRIDAY_17_SHANGHAI):
            normal = self._request()  # Monday 12:00
            urgent = self._request(priority="3")  # Monday 10:00
        Request = self.env["spm.service.request"]
        with self.at(datetime(2026, 1, 12, 0, 0)):  # Monday 8:00
            mine = [("id", "in", (normal | urgent).ids)]
            self.assertEqual(Request.search([("hours_left", "<", 3), *mine]), urgent)
            self.assertEqual(
                Request.search([("hours_left", "<=", 4), ("id", "in", (normal | urgent).ids)]),
                normal | urgent,
            )
            self.assertEqual(Request.search([("hours_left", ">", 3), *mine]), normal)
            normal.action_start()  # responded: the resolution, Tuesday 17:00, counts
            self.assertFalse(Request.search([("hours_left", "<", 4), ("id", "=", normal.id)]))

    def test_search_hours_left_refuses_what_it_cannot_compare(self):
        Request = self.env["spm.service.request"]
        for operator, value in (("=", 4), ("<", "4"), ("<", True), ("<", [4])):
            with self.assertRaisesRegex(UserError, "number of hours"):
                Request.search([("hours_left", operator, value)])

    # -- deadlines follow the request ----------------------------------------------------

    def test_priority_change_counts_the_new_deadlines_from_the_creation(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 1, 30)):  # Monday 9:30
            request.priority = "3"
            self.assertEqual(request.sla_id, self.sla_urgent)
            self.assertEqual(request.response_deadline, datetime(2026, 1, 12, 2, 0))
            self.assertEqual(request.resolution_deadline, datetime(2026, 1, 12, 9, 0))

    def test_type_with_its_own_sla_moves_the_deadlines(self):
        returns = self.env["spm.service.sla"].create(
            {
                "priority": "1",
                "request_type": "return",
                "response_hours": 8,
                "resolution_hours": 24,
            }
        )
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        self.assertEqual(request.sla_id, self.sla_normal)
        request.request_type = "return"
        self.assertEqual(request.sla_id, returns)
        self.assertEqual(request.response_deadline, datetime(2026, 1, 12, 9, 0))

    def test_resolved_request_keeps_the_deadlines_it_was_handled_under(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 1, 0)):
            self._resolve(request)
            request.priority = "3"
        self.assertEqual(request.sla_id, self.sla_normal)
        self.assertEqual(request.response_deadline, MONDAY_12_SHANGHAI)

    def test_new_company_starts_with_the_default_service_levels(self):
        company = self.env["res.company"].create({"name": "Chengdu Branch"})
        slas = self.env["spm.service.sla"].search([("company_id", "=", company.id)])
        self.assertEqual(
            {
                (sla.priority, sla.request_type, sla.response_hours, sla.resolution_hours)
                for sla in slas
            },
            {("3", False, 2, 8), ("2", False, 4, 16), ("1", False, 8, 40), ("0", False, 16, 80)},
        )
        # a company whose levels were all archived is not given new ones
        slas.action_archive()
        self.env["spm.service.sla"]._spm_create_default_levels(company)
        self.assertFalse(self.env["spm.service.sla"].search([("company_id", "=", company.id)]))

    def test_company_without_sla_has_no_deadline(self):
        self.env["spm.service.sla"].search(
            [("company_id", "=", self.other_company.id)]
        ).action_archive()
        request = (
            self.env["spm.service.request"]
            .with_company(self.other_company)
            .create({"subject": "Question", "partner_id": self.other_customer.id})
        )
        self.assertFalse(request.sla_id)
        self.assertFalse(request.response_deadline)
        self.assertFalse(request.hours_left)
        self.assertFalse(request.sla_status)

    # -- first response and breaches ------------------------------------------------

    def test_first_message_of_an_employee_is_the_first_response(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 1, 0)):
            request.with_user(self.rep).message_post(
                body="We will come on Monday afternoon.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(request.first_response_date, datetime(2026, 1, 12, 1, 0))
        self.assertFalse(request.response_breached)
        self.assertEqual(request.state, "new")

    def test_colleague_who_only_reads_the_request_answers_the_customer_too(self):
        # the customer is the colleague's; the request was handed to the rep
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request(partner_id=self.dealer.id, user_id=self.rep.id)
        with self.at(datetime(2026, 1, 12, 1, 0)):
            request.with_user(self.rep_colleague).message_post(
                body="I am on my way.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(request.first_response_date, datetime(2026, 1, 12, 1, 0))

    def test_note_or_customer_message_is_no_first_response(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
            request.with_user(self.rep).message_post(
                body="Internal: check the stock.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            request.message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.customer_contact.id,
            )
        self.assertFalse(request.first_response_date)

    def test_first_response_after_the_deadline_is_flagged(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 5, 0)):  # Monday 13:00, one hour late
            request.with_user(self.rep).message_post(
                body="Sorry for the wait.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertTrue(request.response_breached)
        self.assertTrue(request.sla_breached)
        self.assertEqual(request.sla_status, "breached")

    def test_reply_of_an_employee_by_e_mail_is_the_first_response(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 1, 0)):
            request.message_post(
                body="Replied from my mailbox.",
                message_type="email",
                subtype_xmlid="mail.mt_comment",
                author_id=self.rep.partner_id.id,
            )
        self.assertEqual(request.first_response_date, datetime(2026, 1, 12, 1, 0))

    def test_starting_the_work_is_the_first_response(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 2, 0)):
            request.with_user(self.rep).action_start()
        self.assertEqual(request.first_response_date, datetime(2026, 1, 12, 2, 0))
        self.assertFalse(request.sla_breached)

    def test_resolved_late_keeps_its_breach_when_reopened_and_resolved_again(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
            request.action_start()
        with self.at(datetime(2026, 1, 14, 1, 0)):  # Wednesday 9:00, a day late
            self._resolve(request)
            self.assertTrue(request.resolution_breached)
            self.assertFalse(request.response_breached)
            self.assertEqual(request.resolution_hours, 17.0)
            request.action_close()
            request.action_reopen("The screen flickers again.")
            self.assertTrue(request.resolution_breached)
            request.action_resolve()
        self.assertTrue(request.sla_breached)
        self.assertEqual(request.sla_status, "breached")

    def test_resolved_in_time_is_met(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 1, 0)):  # Monday 9:00
            request.action_start()
        with self.at(datetime(2026, 1, 12, 6, 0)):  # Monday 14:00: 5 working hours
            self._resolve(request)
            self.assertEqual(request.resolution_hours, 5.0)
            self.assertFalse(request.sla_breached)
            self.assertEqual(request.sla_status, "met")

    def test_resolving_after_the_response_deadline_is_a_late_response(self):
        with self.at(FRIDAY_17_SHANGHAI):
            request = self._request()
        with self.at(datetime(2026, 1, 12, 6, 0)):  # Monday 14:00, nothing said before
            self._resolve(request)
        self.assertTrue(request.response_breached)
        self.assertFalse(request.resolution_breached)
        self.assertEqual(request.sla_status, "breached")

    # -- the SLA itself -------------------------------------------------------------

    def test_sla_of_zero_or_negative_hours_is_refused(self):
        Sla = self.env["spm.service.sla"]
        for response, resolution in ((0, 8), (-2, 8), (2, 0), (2, -8)):
            with self.subTest(response=response, resolution=resolution):
                with self.assertRaises(ValidationError) as caught:
                    Sla.create(
                        {
                            "priority": "2",
                            "response_hours": response,
                            "resolution_hours": resolution,
                        }
                    )
                self.assertIn("must be more than zero", str(caught.exception))

    def test_sla_resolving_before_responding_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be fewer"):
            self.sla_normal.resolution_hours = 2

    def test_second_sla_of_a_scope_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "already an SLA"):
            self.env["spm.service.sla"].create(
                {"priority": "1", "response_hours": 1, "resolution_hours": 2}
            )

    def test_two_slas_of_one_scope_in_one_go_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "already an SLA High - Complaint"):
            self.env["spm.service.sla"].create(
                [
                    {
                        "priority": "2",
                        "request_type": "complaint",
                        "response_hours": 1,
                        "resolution_hours": 2,
                    }
                ]
                * 2
            )

    def test_moving_an_sla_onto_another_scope_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "already an SLA Urgent - All Types"):
            self.sla_normal.priority = "3"
        self.sla_urgent.action_archive()
        self.sla_normal.priority = "3"
        with self.assertRaisesRegex(ValidationError, "already an SLA Urgent - All Types"):
            self.sla_urgent.action_unarchive()

    def test_sla_hours_of_the_wrong_type_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "First Response"):
            self.sla_normal.write({"response_hours": "four"})
