import importlib.util
import re
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_sellout import SpmSelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutReport(SpmSelloutCommon):
    """The shop bought and received 30 phones and 20 chargers on 2 March 2026; the rep
    is at the shop, checked in, on 20 March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 02:00:00"):
            order = cls._order({cls.phone: 30, cls.charger: 20}, datetime(2026, 3, 2, 2, 0))
            cls._deliver(
                order.picking_ids, {cls.phone: 30, cls.charger: 20}, datetime(2026, 3, 2, 2, 0)
            )
        cls.visit = cls._visit(start=datetime(2026, 3, 20, 2, 0))
        cls.visit._spm_write_proof(
            {"state": "in_progress", "check_in_time": datetime(2026, 3, 20, 2, 0)}
        )

    def _new(self, user=None, **vals):
        values = {"visit_id": self.visit.id, "product_id": self.phone.id, **vals}
        return self.Report.with_user(user or self.rep).create(values)

    @freeze_time("2026-03-20 03:00:00")
    def test_record_sellout_prefills_the_products_bought_in_90_days(self):
        self.visit.with_user(self.rep).action_spm_record_sellout()
        reports = self.visit.sellout_report_ids
        self.assertEqual(reports.product_id, self.phone | self.charger)
        self.assertEqual(
            {report.product_id: report.stock_on_hand for report in reports},
            {self.phone: 30, self.charger: 20},
            "stock prefilled with what the shop received",
        )
        self.assertEqual(reports.user_id, self.rep)
        self.assertEqual(set(reports.mapped("date")), {self._date("2026-03-20")})
        with self.assertRaisesRegex(UserError, "bought no goods from us in the last 90 days"):
            self.visit.with_user(self.rep).action_spm_record_sellout()

    @freeze_time("2026-03-20 17:30:00")
    def test_record_sellout_after_midnight_in_shanghai(self):
        # 01:30 on 21 March for the rep, still 20 March by the UTC clock
        self.visit._spm_write_proof(
            {"state": "done", "check_out_time": datetime(2026, 3, 20, 3, 0)}
        )
        visit = self._visit(start=datetime(2026, 3, 20, 17, 0))
        visit._spm_write_proof(
            {"state": "in_progress", "check_in_time": datetime(2026, 3, 20, 17, 10)}
        )
        visit.with_user(self.rep).action_spm_record_sellout()
        self.assertEqual(set(visit.sellout_report_ids.mapped("date")), {self._date("2026-03-21")})
        self.assertEqual(
            {report.product_id: report.stock_on_hand for report in visit.sellout_report_ids},
            {self.phone: 30, self.charger: 20},
        )

    @freeze_time("2026-03-20 03:00:00")
    def test_the_visits_own_tab_cannot_add_to_a_visit_checked_out(self):
        self.visit._spm_write_proof(
            {"state": "done", "check_out_time": datetime(2026, 3, 20, 2, 30)}
        )
        with self.assertRaisesRegex(UserError, "is Done: sell-out is recorded"):
            self.Report.with_user(self.rep).with_context(default_visit_id=self.visit.id).create(
                {"product_id": self.phone.id, "qty_sold": 1}
            )

    @freeze_time("2026-03-20 03:00:00")
    def test_prefill_costs_the_same_queries_whatever_the_number_of_products(self):
        visit = self.visit.with_user(self.rep)
        visit.action_spm_record_sellout()
        visit.sellout_report_ids.unlink()
        self.env.invalidate_all()
        with self.assertQueryCount(26):
            visit.action_spm_record_sellout()
            self.env.flush_all()
        self.assertEqual(len(visit.sellout_report_ids), 2)

    @freeze_time("2026-06-30 03:00:00")
    def test_prefill_forgets_products_not_bought_for_90_days(self):
        with self.assertRaisesRegex(UserError, "bought no goods from us in the last 90 days"):
            self.visit.with_user(self.rep).action_spm_record_sellout()

    @freeze_time("2026-03-20 03:00:00")
    def test_negative_quantities_are_refused(self):
        with (
            self.assertRaisesRegex(
                ValidationError, "Sold Since Last Report of Phone S1 cannot be negative"
            ),
            self.cr.savepoint(),
        ):
            self._new(qty_sold=-1, stock_on_hand=3)
        with (
            self.assertRaisesRegex(ValidationError, "Stock On Hand of Phone S1 cannot be negative"),
            self.cr.savepoint(),
        ):
            self._new(qty_sold=1, stock_on_hand=-3)

    def test_services_and_combos_are_refused(self):
        service = self.env["product.product"].create({"name": "Installation", "type": "service"})
        combo = self.env["product.product"].create(
            {
                "name": "Starter kit",
                "type": "combo",
                "combo_ids": [
                    Command.create(
                        {
                            "name": "Kit",
                            "combo_item_ids": [Command.create({"product_id": self.phone.id})],
                        }
                    )
                ],
            }
        )
        for product in (service, combo):
            with (
                self.subTest(product=product.name),
                self.assertRaisesRegex(ValidationError, f"{product.name} is not goods"),
                self.cr.savepoint(),
            ):
                self._new(product_id=product.id, qty_sold=1, stock_on_hand=1)
        report = self._new(qty_sold=1, stock_on_hand=3)
        with self.assertRaisesRegex(ValidationError, "Installation is not goods"):
            report.with_user(self.manager).product_id = service

    def test_a_product_is_counted_once_per_visit(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        refused = self.assertRaisesRegex(IntegrityError, "spm_sellout_report_visit_product_uniq")
        with refused, mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._new(qty_sold=2, stock_on_hand=1)
        # two at once, or a line moved onto a product already counted
        with refused, mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Report.with_user(self.rep).create(
                [
                    {"visit_id": self.visit.id, "product_id": self.charger.id},
                    {"visit_id": self.visit.id, "product_id": self.charger.id},
                ]
            )
        charger = self._new(product_id=self.charger.id, qty_sold=1, stock_on_hand=1)
        with refused, mute_logger("odoo.sql_db"), self.cr.savepoint():
            charger.with_user(self.manager).product_id = self.phone
            self.env.flush_all()
        self.assertEqual(self.visit.sellout_report_ids, report | charger)

    def _migration(self, step):
        name = f"{step}-sellout_one_line_per_product"
        path = Path(__file__).parents[1] / "migrations" / "18.0.1.10.0" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # the script itself, without the decorator that Odoo's migration loader calls
        return module.migrate.__wrapped__

    def test_the_upgrade_merges_a_product_counted_twice_at_a_visit(self):
        first = self._new(qty_sold=1, stock_on_hand=3)
        self.env.flush_all()
        cr = self.env.cr
        # as an older version let it be
        cr.execute(
            "ALTER TABLE spm_sellout_report DROP CONSTRAINT spm_sellout_report_visit_product_uniq"
        )
        cr.execute(
            """INSERT INTO spm_sellout_report (visit_id, partner_id, user_id, company_id, date,
                   product_id, qty_sold, stock_on_hand, create_uid, create_date)
               SELECT visit_id, partner_id, user_id, company_id, date, product_id, 2, 5,
                   create_uid, create_date
                 FROM spm_sellout_report WHERE id = %s RETURNING id""",
            [first.id],
        )
        last = self.Report.browse(cr.fetchone()[0])
        self._migration("pre")(self.env, "18.0.1.9.0")
        cr.execute(
            "ALTER TABLE spm_sellout_report ADD CONSTRAINT "
            "spm_sellout_report_visit_product_uniq UNIQUE (visit_id, product_id)"
        )
        self._migration("post")(self.env, "18.0.1.9.0")
        self.env.invalidate_all()
        self.assertFalse(first.exists())
        self.assertRecordValues(last, [{"qty_sold": 3.0, "stock_on_hand": 5.0}])
        self.assertEqual(self.visit.sellout_report_ids, last)

    @freeze_time("2026-03-20 03:00:00")
    def test_a_date_in_the_future_is_refused(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        with self.assertRaisesRegex(ValidationError, "cannot be dated 2026-03-21, in the future"):
            report.with_user(self.manager).date = "2026-03-21"

    @freeze_time("2026-03-20 03:00:00")
    def test_a_date_before_the_customer_existed_is_refused(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        with self.assertRaisesRegex(
            ValidationError, "before the customer was created \\(2025-12-01\\)"
        ):
            report.with_user(self.manager).date = "2025-11-30"

    @freeze_time("2026-03-20 03:00:00")
    def test_a_partner_without_confirmed_order_is_not_a_customer(self):
        prospect = self.env["res.partner"].create({"name": "Prospect Mall", "is_company": True})
        visit = self._visit(partner=prospect, start=datetime(2026, 3, 20, 2, 0))
        visit._spm_write_proof(
            {"state": "in_progress", "check_in_time": datetime(2026, 3, 20, 2, 0)}
        )
        self.visit._spm_write_proof(
            {"state": "done", "check_out_time": datetime(2026, 3, 20, 2, 30)}
        )
        with self.assertRaisesRegex(ValidationError, "Prospect Mall is not a customer of"):
            self.Report.with_user(self.rep).create(
                {"visit_id": visit.id, "product_id": self.phone.id, "qty_sold": 1}
            )

    @freeze_time("2026-03-20 03:00:00")
    def test_a_rep_cannot_change_a_colleagues_report(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        rep = re.escape(self.rep.name)
        with self.assertRaisesRegex(
            UserError, f"was recorded by {rep}: only {rep} or a sales manager"
        ):
            report.with_user(self.rep_colleague).stock_on_hand = 5
        with self.assertRaisesRegex(UserError, "was recorded by spm_rep"):
            report.with_user(self.rep_colleague).unlink()

    @freeze_time("2026-03-20 03:00:00")
    def test_a_rep_cannot_record_on_a_colleagues_visit(self):
        with self.assertRaisesRegex(
            UserError, f"is {re.escape(self.rep.name)}'s: record sell-out on your own visits"
        ):
            self._new(user=self.rep_colleague, qty_sold=1)

    @freeze_time("2026-03-20 03:00:00")
    def test_once_checked_out_only_a_manager_corrects(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        report.with_user(self.rep).stock_on_hand = 4
        self.visit._spm_write_proof(
            {"state": "done", "check_out_time": datetime(2026, 3, 20, 2, 30)}
        )
        with self.assertRaisesRegex(
            UserError, "is Done: sell-out is recorded and changed while the visit is in progress"
        ):
            report.with_user(self.rep).stock_on_hand = 5
        report.with_user(self.manager).stock_on_hand = 5
        self.assertEqual(report.stock_on_hand, 5)

    @freeze_time("2026-03-20 03:00:00")
    def test_the_rep_and_the_flags_are_not_written_directly(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        for field, value in (("user_id", self.rep_colleague.id), ("inconsistent", True)):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(AccessError, "cannot be written directly"),
            ):
                report.with_user(self.manager).write({field: value})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            report.with_user(self.rep).date = "2026-03-19"

    @freeze_time("2026-03-20 03:00:00")
    def test_a_report_stays_on_its_visit(self):
        report = self._new(qty_sold=1, stock_on_hand=3)
        other = self._visit(start=datetime(2026, 3, 20, 2, 0))
        with self.assertRaisesRegex(UserError, "stays on the visit that counted it"):
            report.with_user(self.manager).visit_id = other

    @freeze_time("2026-03-20 03:00:00")
    def test_wrong_types_are_refused_naming_the_field(self):
        for vals, field in (
            ({"qty_sold": "three"}, "Sold Since Last Report"),
            ({"stock_on_hand": True}, "Stock On Hand"),
            ({"product_id": "phone"}, "Product"),
            ({"product_id": [self.phone.id]}, "Product"),
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, field):
                self._new(**vals)

    @freeze_time("2026-03-20 03:00:00")
    def test_more_stock_than_the_customer_can_hold_is_flagged_not_refused(self):
        with freeze_time("2026-03-10 02:00:00"):
            visit = self._done_visit(start=datetime(2026, 3, 10, 2, 0))
            self.Report.create(
                {
                    "visit_id": visit.id,
                    "product_id": self.phone.id,
                    "qty_sold": 10,
                    "stock_on_hand": 20,
                }
            )
        consistent = self._new(qty_sold=5, stock_on_hand=16)
        self.assertFalse(consistent.inconsistent, "15 expected, within the tolerance of 1")
        flagged = self._new(product_id=self.charger.id, qty_sold=0, stock_on_hand=20)
        self.assertFalse(flagged.inconsistent, "no previous count: nothing to compare")
        consistent.stock_on_hand = 17
        self.assertTrue(consistent.inconsistent)
        self.assertIn("17.0 on hand, at most 15.0 expected", consistent.inconsistency_note)
        self.company.spm_sellout_tolerance = 3
        consistent.stock_on_hand = 18
        self.assertFalse(consistent.inconsistent)
