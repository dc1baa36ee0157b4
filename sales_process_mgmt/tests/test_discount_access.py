from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_discount import SpmDiscountCommon


@tagged("post_install", "-at_install")
class TestDiscountAccess(SpmDiscountCommon):
    def test_rep_reads_but_cannot_edit_policies(self):
        policy = self.policy.with_user(self.rep)
        self.assertEqual(policy.max_discount, 20.0)
        with self.assertRaises(AccessError):
            policy.max_discount = 90.0
        with self.assertRaises(AccessError):
            policy.floor_line_ids[0].max_discount = 90.0
        with self.assertRaises(AccessError):
            policy.budget_ids.with_user(self.rep).amount = 1e6
        with self.assertRaises(AccessError):
            self.env["spm.discount.policy"].with_user(self.rep).create({"name": "Mine"})

    def test_manager_edits_policies(self):
        self.policy.with_user(self.manager).max_discount = 12.0
        self.assertEqual(self.policy.max_discount, 12.0)

    def test_rep_sees_only_own_budget_and_ledger(self):
        self._order([(self.phone, 2, 15.0)]).action_confirm()
        self._order([(self.phone, 1, 15.0)], user=self.rep_colleague).action_confirm()
        as_colleague = self.env["spm.discount.ledger"].with_user(self.rep_colleague)
        self.assertEqual(as_colleague.search([]).mapped("amount"), [150.0])
        as_manager = self.env["spm.discount.ledger"].with_user(self.manager)
        self.assertEqual(
            as_manager.search([("user_id", "in", (self.rep + self.rep_colleague).ids)]).user_id,
            self.rep + self.rep_colleague,
        )
        self.assertFalse(self.env["spm.discount.budget"].with_user(self.rep_colleague).search([]))

    def test_rep_sees_own_budget_on_the_order(self):
        order = self._order([(self.phone, 2, 15.0)]).with_user(self.rep)
        self.assertEqual(order.spm_discount_budget_remaining, 1000.0)
        self.assertEqual(order.spm_discount_amount, 300.0)

    def test_nobody_writes_the_ledger_directly(self):
        with self.assertRaises(AccessError):
            self.env["spm.discount.ledger"].with_user(self.manager).create(
                {
                    "kind": "release",
                    "user_id": self.rep.id,
                    "company_id": self.company.id,
                    "period_date": "2026-01-01",
                    "amount": -1e6,
                }
            )

    def test_other_company_policy_is_invisible(self):
        other_policy = self.env["spm.discount.policy"].create(
            {"name": "Other", "company_id": self.other_company.id}
        )
        self.assertNotIn(
            other_policy, self.env["spm.discount.policy"].with_user(self.rep).search([])
        )

    def test_approver_group_belongs_to_sales_managers(self):
        self.assertTrue(self.manager.has_group("sales_process_mgmt.group_spm_discount_approver"))
        self.assertFalse(self.rep.has_group("sales_process_mgmt.group_spm_discount_approver"))

    def test_approver_without_manager_rights_approves_a_reps_order(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        self.assertEqual(order.state, "to_approve")
        order.with_user(self.approver).action_spm_discount_approve()
        self.assertEqual(order.state, "sale")

    def test_approver_cannot_approve_own_order(self):
        order = self._order([(self.phone, 8, 15.0)], user=self.manager)
        order.action_confirm()
        with self.assertRefused(
            UserError,
            "you are the salesperson of this order and may not approve the discount beyond "
            "your own budget. Ask another discount approver.",
        ):
            order.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(order.state, "to_approve")

    # company consistency and one policy per scope in the database
    def test_floor_line_of_another_companys_product_is_refused(self):
        other_product = self.env["product.template"].create(
            {"name": "Other Co phone", "company_id": self.other_company.id}
        )
        with self.assertRefused(UserError, "Incompatible companies on records"):
            self.policy.floor_line_ids = [
                Command.create({"product_tmpl_id": other_product.id, "max_discount": 50.0})
            ]

    def test_one_active_policy_per_scope_is_enforced_by_the_database(self):
        second = self.env["spm.discount.policy"].create({"name": "Second", "active": False})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(IntegrityError, "spm_discount_policy_one_per_scope"),
            self.cr.savepoint(),
        ):
            self.cr.execute(
                "UPDATE spm_discount_policy SET active = TRUE WHERE id = %s", [second.id]
            )
