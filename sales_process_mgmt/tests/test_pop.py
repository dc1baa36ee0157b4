from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_pop import NOW, PHOTO, TODAY, SpmPopCommon


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPopDeployment(SpmPopCommon):
    def test_cost_is_the_unit_cost_times_the_quantity(self):
        deployment = self._deployment(self.light_box, qty=2)
        self.assertEqual(deployment.cost, 2400.0)
        self.assertEqual(deployment.currency_id, self.company.currency_id)
        deployment.qty = 3
        self.assertEqual(deployment.cost, 3600.0)

    def test_a_material_bought_through_odoo_costs_what_its_product_costs(self):
        product = self.env["product.product"].create({"name": "Standee", "standard_price": 85.0})
        with Form(self.Material) as form:
            form.name = "Counter Standee"
            form.material_type = "standee"
            form.product_id = product
        self.assertEqual(form.record.unit_cost, 85.0)

    def test_the_rep_is_the_outlet_salesperson_by_default(self):
        with Form(self.Deployment.with_user(self.rep)) as form:
            form.partner_id = self.customer
            form.material_id = self.poster
        self.assertEqual(form.record.user_id, self.rep)
        self.assertEqual(form.record.state, "planned")

    def test_pop_is_deployed_at_the_outlet_not_at_a_contact(self):
        contact = self.env["res.partner"].create({"name": "Zhou Li", "parent_id": self.customer.id})
        deployment = self._deployment(partner=contact)
        self.assertEqual(deployment.partner_id, self.customer)

    def test_a_planned_deployment_has_no_inspection_date(self):
        deployment = self._deployment()
        self.assertFalse(deployment.next_inspection_date)
        self.assertFalse(deployment.replace_needed)

    def test_installed_with_a_photo_is_inspected_after_the_interval(self):
        deployment = self._deployment(installed_on="2026-03-01")
        self.assertEqual(deployment.state, "installed")
        self.assertEqual(deployment.installed_on, date(2026, 3, 1))
        # installed by a script (the superuser): for the rep
        self.assertEqual(deployment.installed_by_id, self.rep)
        self.assertEqual(deployment.next_inspection_date, date(2026, 3, 15))
        self.assertEqual(deployment.expiry_date, date(2026, 4, 30))
        self.assertIn("Installed on", deployment.message_ids[0].body)

    def test_the_install_dialog_records_the_photo_and_the_visit(self):
        deployment = self._deployment()
        visit = self._checked_in_visit()
        card = deployment.with_user(self.rep).with_context(spm_pop_visit_id=visit.id)
        action = card.action_open_install()
        self.assertEqual(action["res_model"], "spm.pop.install.wizard")
        with Form(
            self.env[action["res_model"]].with_user(self.rep).with_context(**action["context"])
        ) as form:
            form.photo = PHOTO
        form.record.action_confirm()
        self.assertEqual(deployment.state, "installed")
        self.assertEqual(deployment.installed_on, TODAY)
        self.assertEqual(deployment.installed_by_id, self.rep)
        self.assertEqual(deployment.visit_id, visit)
        self.assertTrue(deployment.photo)

    def test_installed_without_a_photo_is_refused(self):
        deployment = self._deployment()
        with self.assertRaisesRegex(UserError, "A photo of the installed POP proves"):
            deployment._spm_install(False, TODAY)
        self.assertEqual(deployment.state, "planned")

    def test_installed_tomorrow_is_refused(self):
        deployment = self._deployment()
        with self.assertRaisesRegex(UserError, "the installation date is today"):
            deployment._spm_install(PHOTO, TODAY + timedelta(days=1))

    def test_installed_twice_is_refused(self):
        deployment = self._deployment(installed_on=TODAY)
        with self.assertRaisesRegex(
            UserError, "Installed: .* is Installed, and this is done only on a deployment that"
        ):
            deployment._spm_install(PHOTO, TODAY)

    def test_a_quantity_below_one_is_refused(self):
        for qty in (0, -2):
            with (
                self.subTest(qty=qty),
                self.assertRaisesRegex(ValidationError, "must be at least 1 piece"),
            ):
                self._deployment(qty=qty)

    def test_a_negative_unit_cost_or_interval_is_refused(self):
        refusals = [
            ({"unit_cost": -1}, "The unit cost of POP material Flag cannot be negative."),
            ({"inspection_interval_days": -7}, "are numbers of days: 0 or more"),
            ({"expected_life_days": -1}, "are numbers of days: 0 or more"),
        ]
        for vals, message in refusals:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                self.Material.create({"name": "Flag", **vals})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.poster.unit_cost = -1

    def test_the_state_is_set_by_the_buttons_only_even_for_a_manager(self):
        deployment = self._deployment()
        for user in (self.manager, self.env.user):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(AccessError, "cannot be written directly"),
            ):
                deployment.with_user(user).write({"state": "installed"})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.Deployment.with_user(self.manager).create(
                {
                    "partner_id": self.customer.id,
                    "material_id": self.poster.id,
                    "state": "installed",
                }
            )
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            deployment.with_user(self.manager).write({"next_inspection_date": "2030-01-01"})

    def test_an_installed_deployment_keeps_its_outlet_and_material(self):
        deployment = self._deployment(installed_on=TODAY)
        with self.assertRaisesRegex(AccessError, "keeps its outlet and its material"):
            deployment.with_user(self.manager).write({"partner_id": self.other_outlet.id})
        planned = self._deployment()
        planned.with_user(self.manager).write({"partner_id": self.other_outlet.id})
        self.assertEqual(planned.partner_id, self.other_outlet)

    def test_past_its_expected_life_it_asks_for_replacement(self):
        old = self._deployment(installed_on="2026-01-01")  # 60 days: 2 March
        recent = self._deployment(installed_on="2026-03-01")
        self.assertTrue(old.replace_needed)
        self.assertFalse(recent.replace_needed)
        flagged = self.Deployment.search([("replace_needed", "=", True)])
        self.assertIn(old, flagged)
        self.assertNotIn(recent, flagged)
        self.assertIn(recent, self.Deployment.search([("replace_needed", "!=", True)]))

    def test_a_material_without_expected_life_never_expires(self):
        self.poster.expected_life_days = 0
        deployment = self._deployment(installed_on="2020-01-01")
        self.assertFalse(deployment.expiry_date)
        self.assertFalse(deployment.replace_needed)

    def test_removed_pop_is_no_longer_inspected(self):
        deployment = self._deployment(installed_on="2026-01-01")
        deployment.with_user(self.rep).action_remove()
        self.assertEqual(deployment.state, "removed")
        self.assertEqual(deployment.removed_on, TODAY)
        self.assertFalse(deployment.next_inspection_date)
        self.assertFalse(deployment.replace_needed)
        with self.assertRaisesRegex(UserError, "is Removed"):
            deployment.action_remove()

    def test_a_deployment_with_inspections_is_not_deleted(self):
        deployment = self._deployment(installed_on=TODAY)
        self._checked_in_visit().action_spm_inspect_pop(deployment.id, "good")
        with self.assertRaisesRegex(UserError, "stays in the outlet's history"):
            deployment.with_user(self.manager).unlink()


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPopInspection(SpmPopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deployment = cls._deployment(cls.poster, qty=4, installed_on="2026-02-20")
        cls.visit = cls._checked_in_visit()

    def _inspect(self, condition, deployment=None, visit=None, user=None):
        visit = (visit or self.visit).with_user(user or self.rep)
        return visit.action_spm_inspect_pop((deployment or self.deployment).id, condition)

    def test_a_good_inspection_moves_the_next_inspection(self):
        self._inspect("good")
        inspection = self.deployment.inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.date, TODAY)
        self.assertEqual(inspection.user_id, self.rep)
        self.assertEqual(inspection.visit_id, self.visit)
        self.assertEqual(self.deployment.state, "installed")
        self.assertEqual(self.deployment.last_condition, "good")
        self.assertEqual(self.deployment.last_inspection_date, TODAY)
        self.assertEqual(self.deployment.next_inspection_date, date(2026, 3, 24))

    def test_damaged_needs_maintenance(self):
        self._inspect("damaged")
        self.assertEqual(self.deployment.state, "needs_maintenance")
        self.assertEqual(self.deployment.last_condition, "damaged")
        self.assertFalse(self.deployment.replace_needed)
        self.assertEqual(self.deployment.next_inspection_date, date(2026, 3, 24))

    def test_missing_needs_maintenance_and_asks_for_replacement(self):
        self._inspect("missing")
        self.assertEqual(self.deployment.state, "needs_maintenance")
        self.assertTrue(self.deployment.replace_needed)
        self.assertIn(self.deployment, self.Deployment.search([("replace_needed", "=", True)]))

    def test_good_after_damaged_is_installed_again(self):
        self._inspect("damaged")
        self._inspect("good")
        self.assertEqual(self.deployment.state, "installed")
        self.assertEqual(self.deployment.last_condition, "good")

    def test_the_inspection_is_told_in_the_deployment_chatter(self):
        self._inspect("damaged")
        self.assertIn(f"Inspected on visit {self.visit.name}", self.deployment.message_ids[0].body)

    def test_an_inspection_of_another_outlet_is_refused(self):
        elsewhere = self._deployment(partner=self.other_outlet, installed_on=TODAY)
        message = (
            "S1 Poster A1 × 1 at Xujiahui Counter is at Xujiahui Counter, not at Nanjing "  # noqa: RUF001
            "Road Outlet, the customer of visit .*: inspect it on a visit to Xujiahui Counter."
        )
        with self.assertRaisesRegex(UserError, message):
            self._inspect("good", deployment=elsewhere)
        self.assertFalse(elsewhere.inspection_ids)

    def test_a_removed_deployment_is_not_inspected(self):
        self.deployment.action_remove()
        with self.assertRaisesRegex(
            UserError, "was removed on 2026-03-10: a removed deployment is not inspected"
        ):
            self._inspect("good")

    def test_a_planned_deployment_is_not_inspected(self):
        planned = self._deployment()
        with self.assertRaisesRegex(UserError, "is planned, not installed yet"):
            self._inspect("good", deployment=planned)

    def test_pop_is_inspected_on_a_checked_in_visit(self):
        planned_visit = self._visit(partner=self.customer, user=self.rep_colleague)
        with self.assertRaisesRegex(
            UserError, "POP is inspected during a visit at the outlet: visit .* is Planned"
        ):
            self._inspect("good", visit=planned_visit, user=self.manager)

    def test_the_server_signs_and_dates_the_inspection(self):
        inspection = self.Inspection.with_user(self.rep).create(
            {
                "visit_id": self.visit.id,
                "deployment_id": self.deployment.id,
                "condition": "good",
                "date": "2020-01-01",
                "user_id": self.rep_colleague.id,
            }
        )
        self.assertEqual(inspection.date, TODAY)
        self.assertEqual(inspection.user_id, self.rep)

    def test_an_inspection_with_a_photo_and_a_note(self):
        action = self.deployment.with_context(
            spm_pop_visit_id=self.visit.id
        ).action_spm_inspect_with_photo()
        with Form(self.Inspection.with_user(self.rep).with_context(**action["context"])) as form:
            form.condition = "damaged"
            form.photo = PHOTO
            form.note = "Corner torn"
        inspection = form.record
        self.assertEqual(inspection.deployment_id, self.deployment)
        self.assertEqual(inspection.visit_id, self.visit)
        self.assertTrue(inspection.photo)
        self.assertEqual(self.deployment.state, "needs_maintenance")
        self.assertIn("Corner torn", self.deployment.message_ids[0].body)

    def test_a_client_adds_a_note_and_a_photo_to_the_tap(self):
        visit = self.visit.with_user(self.rep)
        with self.assertRaisesRegex(ValidationError, "Note of POP Inspection must be text"):
            visit.action_spm_inspect_pop(self.deployment.id, "damaged", note=["torn"])
        with self.assertRaisesRegex(ValidationError, "Photo of POP Inspection must be a file"):
            visit.action_spm_inspect_pop(self.deployment.id, "damaged", photo=12)
        visit.action_spm_inspect_pop(self.deployment.id, "damaged", note="Torn", photo=PHOTO)
        self.assertEqual(self.visit.pop_inspection_ids.note, "Torn")
        self.assertTrue(self.visit.pop_inspection_ids.photo)

    def test_the_visit_lists_the_pop_of_its_outlet(self):
        removed = self._deployment(installed_on=TODAY)
        removed.action_remove()
        planned = self._deployment(self.light_box)
        elsewhere = self._deployment(partner=self.other_outlet)
        deployments = self.visit.with_user(self.rep).pop_deployment_ids
        self.assertIn(self.deployment, deployments)
        self.assertIn(planned, deployments)
        self.assertNotIn(removed, deployments)
        self.assertNotIn(elsewhere, deployments)

    def test_one_tap_on_the_card_of_the_visit_page(self):
        card = self.deployment.with_user(self.rep).with_context(
            spm_pop_visit_id=self.visit.id, spm_pop_condition="damaged"
        )
        card.action_spm_inspect_on_visit()
        self.assertEqual(self.visit.pop_inspection_ids.condition, "damaged")
        self.assertEqual(self.deployment.state, "needs_maintenance")

    def test_a_tap_with_a_wrong_deployment_or_condition_is_refused(self):
        visit = self.visit.with_user(self.rep)
        for deployment_id in ("abc", [self.deployment.id], True, 2.5, -1, 2**31 - 1):
            with (
                self.subTest(deployment_id=deployment_id),
                self.assertRaisesRegex(ValidationError, "Deployment of POP Inspection"),
            ):
                visit.action_spm_inspect_pop(deployment_id, "good")
        for condition in ("broken", True, ["good"], 1):
            with (
                self.subTest(condition=condition),
                self.assertRaisesRegex(
                    ValidationError, "Condition of POP Inspection must be one of good"
                ),
            ):
                visit.action_spm_inspect_pop(self.deployment.id, condition)
        with self.assertRaisesRegex(ValidationError, "say which deployment and its condition"):
            visit.action_spm_inspect_pop()
        with self.assertRaisesRegex(ValidationError, "Condition of POP Inspection"):
            visit.with_context(
                spm_pop_deployment_id=self.deployment.id, spm_pop_condition="fine"
            ).action_spm_inspect_pop()
        self.assertFalse(self.deployment.inspection_ids)

    def test_a_tap_without_its_visit_is_refused(self):
        for visit_id in (None, "abc", True, [self.visit.id], 2**31 - 1):
            card = self.deployment.with_user(self.rep).with_context(
                spm_pop_visit_id=visit_id, spm_pop_condition="good"
            )
            with (
                self.subTest(visit_id=visit_id),
                self.assertRaisesRegex(ValidationError, "POP is inspected from a visit"),
            ):
                card.action_spm_inspect_on_visit()


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPopReplacement(SpmPopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.worn = cls._deployment(cls.poster, qty=4, installed_on="2026-01-01")

    def test_replace_removes_the_old_and_plans_the_same_again(self):
        action = self.worn.with_user(self.rep).action_replace()
        new = self.Deployment.browse(action["res_id"])
        self.assertEqual(self.worn.state, "removed")
        self.assertEqual(new.state, "planned")
        self.assertEqual(
            (new.partner_id, new.material_id, new.qty, new.user_id),
            (self.customer, self.poster, 4, self.rep),
        )
        self.assertEqual(new.replacement_of_id, self.worn)
        self.assertIn("Replaced by", self.worn.message_ids[0].body)

    def test_a_planned_deployment_is_not_replaced(self):
        planned = self._deployment()
        with self.assertRaisesRegex(UserError, "Replace: .* is Planned"):
            planned.action_replace()

    def test_write_off_records_the_cost_and_removes(self):
        action = self.worn.with_user(self.manager).action_write_off()
        with Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        ) as form:
            form.reason = "Faded by the sun"
        writeoff = form.record
        self.assertEqual(self.worn.state, "removed")
        self.assertEqual(writeoff.cost, 60.0)
        self.assertEqual(writeoff.qty, 4)
        self.assertEqual(writeoff.date, TODAY)
        self.assertEqual(writeoff.user_id, self.manager)
        self.assertEqual(self.worn.writeoff_ids, writeoff)
        self.assertIn("Written off by", self.worn.message_ids[0].body)
        # the record keeps the cost of the day
        self.poster.unit_cost = 20.0
        self.assertEqual(writeoff.cost, 60.0)

    def test_a_removed_deployment_is_not_written_off(self):
        self.worn.action_remove()
        with self.assertRaisesRegex(UserError, "Write Off: .* is Removed"):
            self.worn.with_user(self.manager).action_write_off()
        with self.assertRaisesRegex(UserError, "Write Off: .* is Removed"):
            self.env["spm.pop.writeoff"].with_user(self.manager).create(
                {"deployment_id": self.worn.id, "reason": "Lost"}
            )

    def test_a_rep_does_not_write_off(self):
        with self.assertRaisesRegex(AccessError, "Only a sales manager writes POP off"):
            self.worn.with_user(self.rep).action_write_off()
        with self.assertRaises(AccessError):
            self.env["spm.pop.writeoff"].with_user(self.rep).create(
                {"deployment_id": self.worn.id, "reason": "Lost"}
            )
        self.assertEqual(self.worn.state, "installed")
