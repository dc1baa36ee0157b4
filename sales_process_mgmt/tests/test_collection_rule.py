from datetime import date, datetime, time

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.spm_collection_rule import payday_on_or_after
from .common import SpmCommon
from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionRule(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["spm.collection.rule"]
        cls.Rule.search([]).action_archive()
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.dealer.category_id = cls.vip
        cls.dealer.tz = "Asia/Shanghai"
        cls.rule_all = cls.Rule.create({"name": "Everyone", "sequence": 50})
        cls.rule_east = cls.Rule.create(
            {"name": "East", "region_ids": [(6, 0, cls.region_east.ids)], "sequence": 40}
        )

    def _rule_of(self, partner):
        return self.Rule._match_partners(partner, self.env.company)[partner]

    def _plan(self, rule, due, today=None, partner=None, user=None):
        # The clock frozen at midnight UTC of ``today``: before any collection hour in
        # the timezones used here.
        with freeze_time(datetime.combine(today or date(2026, 1, 1), time())):
            return rule._planned_datetime(partner or self.dealer, user or self.rep, due)

    # Matching and specificity -------------------------------------------------
    def test_region_rule_applies_to_sub_regions(self):
        rule, reason = self._rule_of(self.dealer)
        self.assertEqual(rule, self.rule_east)
        self.assertEqual(reason, "the customer is in region East")

    def test_nearest_region_beats_parent_region(self):
        rule_sh = self.Rule.create(
            {"name": "Shanghai", "region_ids": [(6, 0, self.region_sh.ids)], "sequence": 99}
        )
        self.assertEqual(self._rule_of(self.dealer)[0], rule_sh)

    def test_a_changed_rule_applies_at_once(self):
        self.assertEqual(self._rule_of(self.dealer)[0], self.rule_east)
        rule_own = self.Rule.create({"name": "Huatong only", "partner_ids": self.dealer.ids})
        self.assertEqual(self._rule_of(self.dealer)[0], rule_own)
        rule_own.partner_ids = False  # now a rule for everyone, and the first of them
        self.assertEqual(self._rule_of(self.dealer)[0], self.rule_east)
        self.rule_east.action_archive()
        self.assertEqual(self._rule_of(self.dealer)[0], rule_own)

    def test_a_rule_whose_tags_are_deleted_applies_to_everyone(self):
        rule_vip = self.Rule.create(
            {"name": "VIP", "partner_category_ids": self.vip.ids, "sequence": 10}
        )
        walk_in = self.env["res.partner"].create({"name": "Walk-in customer"})
        self.assertEqual(self._rule_of(walk_in)[0], self.rule_all)
        self.vip.unlink()
        self.assertEqual(self._rule_of(walk_in)[0], rule_vip)

    def test_tag_beats_region_and_customer_beats_tag(self):
        rule_vip = self.Rule.create({"name": "VIP", "partner_category_ids": [(6, 0, self.vip.ids)]})
        rule, reason = self._rule_of(self.dealer)
        self.assertEqual(rule, rule_vip)
        self.assertIn("VIP", reason)
        rule_own = self.Rule.create(
            {"name": "Huatong only", "partner_ids": [(6, 0, self.dealer.ids)], "sequence": 99}
        )
        rule, reason = self._rule_of(self.dealer)
        self.assertEqual(rule, rule_own)
        self.assertEqual(reason, "the rule names this customer")

    def test_global_rule_when_nothing_more_specific(self):
        other = self.env["res.partner"].create({"name": "Somewhere Else", "is_company": True})
        rule, reason = self._rule_of(other)
        self.assertEqual(rule, self.rule_all)
        self.assertEqual(reason, "no more specific rule matches the customer")

    def test_rule_of_other_company_never_applies(self):
        self.Rule.create(
            {
                "name": "Other company",
                "partner_ids": [(6, 0, self.dealer.ids)],
                "company_id": self.other_company.id,
            }
        )
        self.assertEqual(self._rule_of(self.dealer)[0], self.rule_east)

    def test_customer_form_shows_rule_and_why(self):
        contact = self.env["res.partner"].create({"name": "Mr Zhang", "parent_id": self.dealer.id})
        self.assertEqual(self.dealer.spm_collection_rule_id, self.rule_east)
        self.assertEqual(contact.spm_collection_rule_id, self.rule_east)
        self.assertEqual(self.dealer.spm_collection_rule_reason, "the customer is in region East")

    # Bad input ------------------------------------------------------------------
    def test_window_hours_outside_day_refused(self):
        with self.assertRaisesRegex(ValidationError, "must lie between 0 and 24"):
            self.rule_east.window_ids = [(0, 0, {"hour_from": 20, "hour_to": 25})]

    def test_window_ending_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "must start before it ends"):
            self.rule_east.window_ids = [(0, 0, {"hour_from": 12, "hour_to": 12})]

    def test_negative_days_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Grace Days of collection rule East cannot be negative"
        ):
            self.rule_east.grace_days = -1
        with self.assertRaisesRegex(
            ValidationError, "Maximum Deferrals of collection rule Strict cannot be negative"
        ):
            self.Rule.create({"name": "Strict", "max_deferrals": -2})

    def test_collection_hours_reversed_refused(self):
        with self.assertRaisesRegex(ValidationError, "must start before they end"):
            self.rule_east.write({"day_start": 18, "day_end": 9})

    # Planning -------------------------------------------------------------------
    def test_planned_at_day_start_in_customer_timezone(self):
        # Wednesday 2026-01-14 09:00 in Shanghai is 01:00 UTC.
        self.assertEqual(self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 14, 1))

    def test_morning_blackout_moves_to_noon(self):
        self.rule_east.window_ids = [(0, 0, {"hour_from": 0, "hour_to": 12, "reason": "Market"})]
        self.assertEqual(self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 14, 4))

    def test_chained_windows_and_blacked_out_weekday(self):
        self.rule_east.window_ids = [
            (0, 0, {"hour_from": 0, "hour_to": 12}),
            (0, 0, {"hour_from": 11, "hour_to": 14.5}),
            (0, 0, {"weekday": "2", "hour_from": 0, "hour_to": 24, "reason": "Wednesday"}),
        ]
        # Wednesday is blacked out: Thursday 14:30 Shanghai = 06:30 UTC.
        self.assertEqual(
            self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 15, 6, 30)
        )

    def test_overdue_invoice_planned_from_today(self):
        planned = self._plan(self.rule_east, date(2025, 11, 3), today=date(2026, 1, 14))
        self.assertEqual(planned, datetime(2026, 1, 14, 1))

    def test_payday_within_ten_days_moves_after_it(self):
        self.dealer.spm_payday = "20"
        self.rule_east.after_payday_days = 2
        # Due on the 14th, payday the 20th: collect on the 22nd.
        self.assertEqual(self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 22, 1))

    def test_payday_further_than_ten_days_ignored(self):
        self.dealer.spm_payday = "28"
        self.assertEqual(self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 14, 1))

    def test_payday_31_in_february_is_its_last_day(self):
        self.dealer.spm_payday = "31"
        self.assertEqual(payday_on_or_after(31, date(2027, 2, 20)), date(2027, 2, 28))
        self.assertEqual(payday_on_or_after(31, date(2028, 2, 20)), date(2028, 2, 29))
        # Due 2027-02-20, payday 28 Feb + 1 day: 1 March.
        self.assertEqual(self._plan(self.rule_east, date(2027, 2, 20)), datetime(2027, 3, 1, 1))

    def test_payday_across_year_end(self):
        self.dealer.spm_payday = "2"
        self.assertEqual(payday_on_or_after(2, date(2026, 12, 28)), date(2027, 1, 2))
        self.assertEqual(self._plan(self.rule_east, date(2026, 12, 28)), datetime(2027, 1, 3, 1))

    def test_rep_timezone_when_customer_has_none(self):
        self.dealer.tz = False
        self.rep.tz = "America/New_York"
        # 09:00 in New York in January (EST, UTC-5).
        self.assertEqual(self._plan(self.rule_east, date(2026, 1, 14)), datetime(2026, 1, 14, 14))

    def test_daylight_saving_change(self):
        self.dealer.tz = "Europe/Berlin"
        # Friday before the spring change (CET, UTC+1) and Monday after it (CEST, UTC+2).
        self.assertEqual(self._plan(self.rule_east, date(2026, 3, 27)), datetime(2026, 3, 27, 8))
        self.assertEqual(self._plan(self.rule_east, date(2026, 3, 30)), datetime(2026, 3, 30, 7))
        # 02:30 does not exist on 29 March in Berlin: the clock jumps to 03:30 CEST.
        self.rule_east.day_start = 2.5
        self.assertEqual(
            self._plan(self.rule_east, date(2026, 3, 29)), datetime(2026, 3, 29, 1, 30)
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionRuleOfCompany(SpmCollectionCommon):
    """A company's collection rules on real invoices: they stay within the company,
    each new company gets one, and they always leave a moment to collect."""

    # Rules stay within their company ----------------------------------------------------
    def test_rule_refuses_region_of_another_company(self):
        other = self._other_company()
        region = self.env["spm.region"].create(
            {"name": "North", "code": "OC-N", "company_id": other.id}
        )
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self.rule.region_ids = region

    def test_rule_refuses_customer_of_another_company(self):
        other = self._other_company()
        partner = self.env["res.partner"].create({"name": "Far Co", "company_id": other.id})
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self.rule.partner_ids = partner

    # The rule a new company gets --------------------------------------------------------
    def test_new_company_gets_default_rule(self):
        other = self._other_company()
        rule = self.env["spm.collection.rule"].search([("company_id", "=", other.id)])
        self.assertRecordValues(
            rule,
            [
                {
                    "scope_level": "global",
                    "max_deferrals": 1,
                    "grace_days": 3,
                    "block_orders_after_days": 30,
                    "max_promise_days": 60,
                    "hold_overdue": False,
                    "hold_deferrals": False,
                    "hold_credit_limit": False,
                }
            ],
        )

    def test_promise_without_rule_keeps_default_grace_days(self):
        self.env["spm.collection.rule"].search(
            [("company_id", "=", self.company.id)]
        ).active = False
        _move, task = self._open_task()
        self.assertFalse(task.rule_id)
        promise = self._promise(task, "2026-03-11")
        with freeze_time("2026-03-13 02:00:00"):
            self.Task._cron_refresh_tasks()
        self.assertEqual(promise.state, "pending", "3 grace days, as a new rule has")

    # A rule always leaves a moment to collect -------------------------------------------
    def test_rule_blacking_out_every_hour_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "cover every collection hour \\(09:00 to 18:00\\) of every day"
        ):
            self.rule.window_ids = [
                (0, 0, {"hour_from": 0, "hour_to": 12}),
                (0, 0, {"hour_from": 12, "hour_to": 24}),
            ]

    def test_window_added_directly_blacking_out_every_hour_refused(self):
        self.env["spm.collection.window"].create(
            {"rule_id": self.rule.id, "hour_from": 0, "hour_to": 12}
        )
        with self.assertRaisesRegex(ValidationError, "Shorten a window"):
            self.env["spm.collection.window"].create(
                {"rule_id": self.rule.id, "hour_from": 11, "hour_to": 20}
            )

    # Payday and blackout windows together -----------------------------------------------
    def test_payday_shift_then_blackout_window(self):
        self.customer.spm_payday = "15"
        self.rule.window_ids = [
            (0, 0, {"weekday": "0", "hour_from": 0, "hour_to": 24, "reason": "Monday market"}),
            (0, 0, {"hour_from": 0, "hour_to": 13, "reason": "Mornings"}),
        ]
        move = self._invoice(1000.0, "2026-03-12")
        self.Task._cron_refresh_tasks()
        # Payday Sunday 15th + 1 day = Monday 16th, blacked out: Tuesday 17th 13:00
        # in Shanghai (05:00 UTC).
        self.assertEqual(self._task(move).planned_date, datetime(2026, 3, 17, 5))
