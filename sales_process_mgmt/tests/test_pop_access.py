from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_pop import NOW, TODAY, SpmPopCommon


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPopAccess(SpmPopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the colleague's outlet, which the rep neither owns nor visits
        cls.colleague_outlet = cls.dealer
        cls.mine = cls._deployment(installed_on=TODAY)
        cls.theirs = cls._deployment(partner=cls.colleague_outlet, installed_on=TODAY)
        cls.visit = cls._checked_in_visit()

    def test_a_rep_reads_the_materials_and_does_not_change_them(self):
        materials = self.Material.with_user(self.rep).search([])
        self.assertIn(self.poster, materials)
        with self.assertRaises(AccessError):
            self.poster.with_user(self.rep).write({"unit_cost": 1.0})
        with self.assertRaises(AccessError):
            self.Material.with_user(self.rep).create({"name": "Flag"})

    def test_a_rep_reads_the_pop_of_his_outlets_only(self):
        seen = self.Deployment.with_user(self.rep).search([])
        self.assertIn(self.mine, seen)
        self.assertNotIn(self.theirs, seen)
        self.assertIn(self.theirs, self.Deployment.with_user(self.rep_colleague).search([]))

    def test_a_rep_reads_the_pop_of_an_outlet_he_visits(self):
        self._visit(partner=self.colleague_outlet, user=self.rep)
        self.assertIn(self.theirs, self.Deployment.with_user(self.rep).search([]))

    def test_a_rep_plans_pop_at_his_outlets_only(self):
        Deployment = self.Deployment.with_user(self.rep)
        planned = Deployment.create({"partner_id": self.customer.id, "material_id": self.poster.id})
        self.assertEqual(planned.user_id, self.rep)
        with self.assertRaises(AccessError):
            Deployment.create(
                {"partner_id": self.colleague_outlet.id, "material_id": self.poster.id}
            )

    def test_a_rep_changes_pop_through_the_buttons_only(self):
        deployment = self.mine.with_user(self.rep)
        with self.assertRaises(AccessError):
            deployment.write({"qty": 3})
        with self.assertRaises(AccessError):
            deployment.unlink()
        deployment.action_replace()
        self.assertEqual(self.mine.state, "removed")

    def test_a_rep_does_not_act_on_a_colleagues_pop(self):
        self._visit(partner=self.colleague_outlet, user=self.rep)  # reads it now
        theirs = self.theirs.with_user(self.rep)
        for action in (theirs.action_remove, theirs.action_replace):
            with (
                self.subTest(action=action.__name__),
                self.assertRaisesRegex(AccessError, "is not at one of your outlets"),
            ):
                action()
        self.assertEqual(self.theirs.state, "installed")

    def test_a_rep_inspects_on_his_own_visits_only(self):
        colleague_visit = self._visit(user=self.rep_colleague)
        colleague_visit._spm_write_proof({"state": "in_progress", "check_in_time": NOW})
        with self.assertRaises(AccessError):
            self.Inspection.with_user(self.rep).create(
                {
                    "visit_id": colleague_visit.id,
                    "deployment_id": self.mine.id,
                    "condition": "good",
                }
            )
        self.visit.with_user(self.rep).action_spm_inspect_pop(self.mine.id, "good")
        self.assertEqual(len(self.mine.inspection_ids), 1)

    def test_a_rep_reads_the_inspections_of_his_outlets(self):
        self.visit.action_spm_inspect_pop(self.mine.id, "good")
        seen = self.Inspection.with_user(self.rep).search([])
        self.assertEqual(seen, self.mine.inspection_ids)
        self.assertFalse(self.Inspection.with_user(self.other_rep).search([]))

    def test_inspections_are_never_changed_nor_deleted(self):
        self.visit.action_spm_inspect_pop(self.mine.id, "damaged")
        inspection = self.mine.inspection_ids
        for user in (self.rep, self.manager, self.env.user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    inspection.with_user(user).write({"condition": "good"})
                with self.assertRaises(AccessError):
                    inspection.with_user(user).write({"note": "Fine after all"})
                with self.assertRaises(AccessError):
                    inspection.with_user(user).unlink()
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be changed"):
            inspection.write({"condition": "good"})
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be deleted"):
            inspection.unlink()
        self.assertEqual(inspection.condition, "damaged")
        self.assertEqual(self.mine.state, "needs_maintenance")

    def test_write_offs_are_never_changed_nor_deleted(self):
        writeoff = (
            self.env["spm.pop.writeoff"]
            .with_user(self.manager)
            .create({"deployment_id": self.mine.id, "reason": "Stolen"})
        )
        for user in (self.manager, self.env.user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    writeoff.with_user(user).write({"cost": 0.0})
                with self.assertRaises(AccessError):
                    writeoff.with_user(user).unlink()
        self.assertEqual(writeoff.cost, 15.0)
        self.assertIn(writeoff, self.env["spm.pop.writeoff"].with_user(self.rep).search([]))
        self.assertFalse(self.env["spm.pop.writeoff"].with_user(self.rep_colleague).search([]))

    def test_a_manager_sees_and_changes_all(self):
        Deployment = self.Deployment.with_user(self.manager)
        self.assertLessEqual(self.mine | self.theirs, Deployment.search([]))
        self.theirs.with_user(self.manager).write({"qty": 5, "note": "Two more"})
        self.assertEqual(self.theirs.cost, 75.0)
        planned = self._deployment()
        planned.with_user(self.manager).unlink()
        self.assertFalse(planned.exists())

    def test_a_rep_of_another_company_sees_nothing(self):
        self.assertFalse(self.Deployment.with_user(self.other_rep).search([]))
        self.assertFalse(self.Material.with_user(self.other_rep).search([]))
        with self.assertRaises(AccessError):
            self.mine.with_user(self.other_rep).read(["qty"])

    def test_the_customer_form_counts_its_pop(self):
        customer = self.customer.with_user(self.rep)
        self.assertEqual(customer.spm_pop_deployment_count, 1)
        action = customer.action_spm_view_pop()
        self.assertEqual(self.Deployment.with_user(self.rep).search(action["domain"]), self.mine)

    def test_a_manager_inspects_on_any_visit_but_not_after_the_visit(self):
        self.visit.with_user(self.manager).action_spm_inspect_pop(self.mine.id, "good")
        self.assertEqual(self.mine.inspection_ids.user_id, self.manager)
        self.visit._spm_write_proof({"state": "done", "check_out_time": NOW})
        with self.assertRaisesRegex(UserError, "is Done"):
            self.visit.with_user(self.manager).action_spm_inspect_pop(self.mine.id, "good")
