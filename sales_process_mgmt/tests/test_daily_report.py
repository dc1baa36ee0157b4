from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_field_collection import SpmFieldCollectionCommon

# 10:00 in Shanghai on 10 March 2026; the rep's day runs from 9 March 16:00 to
# 10 March 16:00 UTC, and ends for the report at 19:00 local (11:00 UTC).
NOW = "2026-03-10 02:00:00"
EVENING = "2026-03-10 11:30:00"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDailyReport(SpmFieldCollectionCommon):
    """The rep's daily report 日报: the day's records on the rep's clock, the rep's
    remarks, sent to the team leader by the rep or at the end of the rep's day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["spm.daily.report"]
        cls.product = cls.env["product.product"].create(
            {"name": "5G Handset", "list_price": 100.0, "type": "consu"}
        )
        cls.outsider = cls._new_user(
            "spm_rep_outsider", "sales_team.group_sale_salesman", cls.company
        )

    @contextmanager
    def _refused(self, exception, message):
        with self.assertRaisesRegex(exception, message), self.cr.savepoint():
            yield

    def _visit(self, when, user=None, done=True, **vals):
        visit = self.env["spm.visit"].create(
            {
                "partner_id": self.customer.id,
                "user_id": (user or self.rep).id,
                "planned_start": when,
                **vals,
            }
        )
        if done:
            visit._spm_write_proof({"state": "done", "check_in_time": when, "check_out_time": when})
        return visit

    def _order(self, when, user=None):
        with freeze_time(when):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "user_id": (user or self.rep).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 3,
                                "price_unit": 100.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        return order

    def _report(self, user=None, **vals):
        return self.Report.with_user(user or self.rep).create(vals)

    def _the_day(self):
        """The rep's records of 10 March, and some that are not the report's."""
        self.visit = self._visit(
            datetime(2026, 3, 10, 1, 0),
            outcome_type="progress",
            outcome="Met the buyer",
            customer_feedback="Wants a cheaper model",
        )
        self.checked_in = self._visit(datetime(2026, 3, 10, 3, 0), done=False)
        self._visit(datetime(2026, 3, 9, 1, 0))  # yesterday
        self._visit(datetime(2026, 3, 10, 1, 0), user=self.rep_colleague)  # a colleague's
        cancelled = self._visit(datetime(2026, 3, 10, 5, 0), done=False)
        cancelled._spm_write_proof({"state": "cancelled"})
        self.tomorrow = self._visit(
            datetime(2026, 3, 11, 1, 30), done=False, objective="Present the new range"
        )
        self.order = self._order(datetime(2026, 3, 10, 1, 30))
        self._order(datetime(2026, 3, 9, 15, 0))  # 23:00 on the 9th in Shanghai
        _move, task = self._open_task(1000.0)
        self._receive(task, 400.0, method="wechat")
        refused = self._receive(task, 50.0)
        refused.with_user(self.finance)._refuse("Not received")
        promise = self._promise(task, "2026-03-20", amount=600.0, reason="Pays after the fair")
        # Taken at 10:00 in Shanghai (the database's clock, which freezegun does not stop)
        self.env.cr.execute(
            "UPDATE spm_payment_promise SET create_date = %s WHERE id = %s",
            (datetime(2026, 3, 10, 2, 0), promise.id),
        )
        promise.invalidate_recordset(["create_date"])
        self.observation = (
            self.env["spm.competitor.product"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Rival X1",
                    "competitor_id": self.dealer.id,
                    "price": 88.0,
                    "observed_partner_id": self.customer.id,
                }
            )
        )

    # The day's records ---------------------------------------------------------------
    def test_draft_shows_the_days_own_records_on_the_reps_clock(self):
        self._the_day()
        report = self._report(remarks="The fair is next week")
        self.assertRecordValues(
            report,
            [
                {
                    "user_id": self.rep.id,
                    "date": datetime(2026, 3, 10).date(),
                    "team_id": self.team.id,
                    "state": "draft",
                    "visit_count": 2,
                    "visit_done_count": 1,
                    "order_count": 1,
                    "order_amount": 300.0,
                    "collected_amount": 400.0,
                    "promise_count": 1,
                    "feedback_count": 2,
                    "tomorrow_count": 1,
                }
            ],
        )
        summary = str(report.summary)
        for text in (
            "Hengda Telecom",
            "Met the buyer",
            "Wants a cheaper model",
            self.order.name,
            "Rival X1",
            "Pays after the fair",
            "Present the new range",
            "09:30",  # tomorrow's visit, at its time in Shanghai
            "The fair is next week",
        ):
            self.assertIn(text, summary)

    def test_report_opens_for_today_from_the_form(self):
        form = Form(self.Report.with_user(self.rep))
        self.assertEqual(str(form.date), "2026-03-10")
        form.remarks = "Quiet day"
        report = form.save()
        self.assertEqual(report.user_id, self.rep)
        self.assertIn(self.rep.name, report.name)
        self.assertIn("2026-03-10", report.name)

    # Sending ---------------------------------------------------------------------------
    def test_sent_to_the_team_leader_and_kept_as_sent(self):
        self._the_day()
        report = self._report(remarks="Need samples")
        report.with_user(self.rep).action_send()
        self.assertRecordValues(
            report,
            [
                {
                    "state": "sent",
                    "recipient_id": self.manager.id,
                    "sent_time": datetime(2026, 3, 10, 2, 0),
                }
            ],
        )
        message = report.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.manager.partner_id)
        self.assertEqual(message.author_id, self.rep.partner_id)
        self.assertIn("Need samples", str(message.body))
        self.assertIn("Hengda Telecom", str(report.sent_summary))
        # The day changes afterwards; the report as sent does not
        self.visit._spm_write_proof({"state": "cancelled"})
        self.assertIn("Met the buyer", str(report.sent_summary))
        self.assertIn(
            report,
            self.Report.with_user(self.manager).search([("recipient_id", "=", self.manager.id)]),
        )

    def test_without_team_leader_it_goes_to_a_sales_manager(self):
        self._visit(datetime(2026, 3, 10, 1, 0), user=self.rep_colleague)
        report = self._report(user=self.rep_colleague)
        self.assertFalse(report.team_id)
        report.with_user(self.rep_colleague).action_send()
        self.assertTrue(report.recipient_id.has_group("sales_team.group_sale_manager"))
        self.assertNotEqual(report.recipient_id, self.rep_colleague)

    def test_sent_in_the_team_leaders_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_process_mgmt"], ["zh_CN"], overwrite=True
        )
        self.manager.lang = "zh_CN"
        self._the_day()
        report = self._report()
        self.assertIn("Tomorrow's plan", str(report.summary))
        report.with_user(self.rep).action_send()
        for text in ("拜访", "明日计划", "收款"):
            self.assertIn(text, str(report.sent_summary))

    def test_scheduled_action_sends_at_the_end_of_the_reps_day(self):
        self._the_day()
        self.rep_colleague.tz = "Europe/Paris"
        self._visit(datetime(2026, 3, 10, 8, 0), user=self.rep_colleague)
        today = [("date", "=", "2026-03-10")]
        self.Report._cron_send_daily_reports()
        self.assertFalse(self.Report.search(today))
        # Yesterday's visit had no report: it is filed and sent
        yesterday = self.Report.search([("user_id", "=", self.rep.id)])
        self.assertRecordValues(yesterday, [{"date": datetime(2026, 3, 9).date(), "state": "sent"}])
        with freeze_time(EVENING):
            self.Report._cron_send_daily_reports()
        report = self.Report.search([*today, ("user_id", "=", self.rep.id)])
        self.assertEqual(report.state, "sent")
        self.assertIn("Met the buyer", str(report.sent_summary))
        # 12:30 in Paris: the colleague's day goes on
        self.assertFalse(self.Report.search([*today, ("user_id", "=", self.rep_colleague.id)]))
        # A second run sends nothing twice
        with freeze_time(EVENING):
            self.Report._cron_send_daily_reports()
        self.assertEqual(len(report.message_ids.filtered(lambda m: m.message_type == "comment")), 1)
        with freeze_time("2026-03-10 18:30:00"):  # 19:30 in Paris
            self.Report._cron_send_daily_reports()
        self.assertEqual(
            self.Report.search([*today, ("user_id", "=", self.rep_colleague.id)]).state, "sent"
        )

    def test_scheduled_action_sends_the_reps_draft_with_his_remarks(self):
        self._the_day()
        report = self._report(remarks="Busy at the fair")
        with freeze_time(EVENING):
            self.Report._cron_send_daily_reports()
        self.assertEqual(report.state, "sent")
        self.assertIn("Busy at the fair", str(report.sent_summary))
        self.assertEqual(
            self.Report.search_count([("user_id", "=", self.rep.id), ("date", "=", "2026-03-10")]),
            1,
        )

    def test_company_hour_decides_the_end_of_the_day(self):
        self._the_day()
        today = [("user_id", "=", self.rep.id), ("date", "=", "2026-03-10")]
        self.Report._cron_send_daily_reports()
        self.assertFalse(self.Report.search(today))
        self.company.spm_daily_report_hour = 9  # 01:00 UTC
        self.Report._cron_send_daily_reports()
        self.assertEqual(self.Report.search(today).state, "sent")

    # Refusals --------------------------------------------------------------------------
    def test_sent_report_is_not_changed_resent_or_deleted(self):
        report = self._report(remarks="Done")
        report.with_user(self.rep).action_send()
        with self._refused(UserError, "was sent"):
            report.with_user(self.rep).write({"remarks": "Changed my mind"})
        with self._refused(UserError, "was sent"):
            report.with_user(self.manager).write({"team_id": False})
        with self._refused(UserError, "already sent"):
            report.with_user(self.rep).action_send()
        with self._refused(UserError, "cannot be deleted"):
            report.with_user(self.manager).unlink()

    def test_draft_may_be_deleted_by_its_rep(self):
        report = self._report()
        report.with_user(self.rep).unlink()
        self.assertFalse(report.exists())

    def test_rep_writes_his_own_report_only(self):
        with self._refused(UserError, "his own daily report"):
            self._report(user_id=self.rep_colleague.id)
        colleague = self._report(user=self.rep_colleague)
        with self._refused(AccessError, ""):
            colleague.with_user(self.rep).write({"remarks": "Not mine"})
        with self._refused(AccessError, ""):
            colleague.with_user(self.rep).action_send()

    def test_sending_fields_are_written_by_send_only(self):
        report = self._report()
        for vals in (
            {"state": "sent"},
            {"sent_summary": "<p>All orders signed</p>"},
            {"recipient_id": self.rep.id},
            {"sent_time": "2026-03-10 10:00:00"},
        ):
            with self.subTest(vals=vals), self._refused(AccessError, "Use Send"):
                report.with_user(self.rep).write(vals)
            with self.subTest(vals=vals, manager=True), self._refused(AccessError, "Use Send"):
                report.with_user(self.manager).write(vals)
        with self._refused(AccessError, "Use Send"):
            self._report(user=self.rep_colleague, state="sent")

    def test_rep_and_day_do_not_change(self):
        report = self._report()
        with self._refused(UserError, "do not change"):
            report.with_user(self.rep).write({"date": "2026-03-09"})
        with self._refused(UserError, "do not change"):
            report.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        report.with_user(self.rep).write({"date": "2026-03-10", "remarks": "Same day"})
        self.assertEqual(report.remarks, "Same day")

    def test_a_day_not_begun_is_refused(self):
        with self._refused(ValidationError, "before the day has begun"):
            self._report(date="2026-03-11")
        self.assertTrue(self._report(date="2026-03-09"), "a forgotten day may be reported later")

    def test_one_report_per_rep_and_day(self):
        self._report()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._report()

    def test_bad_input_is_refused(self):
        with self._refused(ValidationError, "My Remarks"):
            self._report(remarks=42)
        with self._refused(ValidationError, "Date"):
            self._report(date="2026-02-30")
        with self._refused(ValidationError, "0 to 23"):
            self.company.spm_daily_report_hour = 24

    def test_rep_of_another_company_is_refused(self):
        with self._refused(ValidationError, "does not work for"):
            self.Report.create({"user_id": self.other_rep.id, "company_id": self.company.id})

    # Access ----------------------------------------------------------------------------
    def test_team_leader_reads_his_reps_reports_and_colleagues_do_not(self):
        report = self._report(remarks="Private to the team")
        leader = self.Report.with_user(self.manager).search([("id", "=", report.id)])
        self.assertEqual(leader, report)
        self.assertFalse(self.Report.with_user(self.outsider).search([("id", "=", report.id)]))
        self.assertFalse(self.Report.with_user(self.other_rep).search([("id", "=", report.id)]))
        with self._refused(AccessError, ""):
            report.with_user(self.outsider).read(["remarks"])

    def test_team_leader_without_manager_rights_reads_but_does_not_write(self):
        leader = self._new_user("spm_leader_rep", "sales_team.group_sale_salesman", self.company)
        self.team.user_id = leader
        report = self._report()
        self.assertEqual(self.Report.with_user(leader).search([("id", "=", report.id)]), report)
        self.assertIn("Visits", str(report.with_user(leader).summary))
        with self._refused(AccessError, ""):
            report.with_user(leader).write({"remarks": "Edited by the leader"})

    def test_menu_for_reps(self):
        menu = self.env.ref("sales_process_mgmt.spm_daily_report_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.rep)._visible_menu_ids())
