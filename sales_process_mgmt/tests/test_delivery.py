import base64
import io
from datetime import datetime, timedelta

from freezegun import freeze_time
from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_delivery import SIGNATURE, SpmDeliveryCommon


def _photo():
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(data, format="JPEG")
    return base64.b64encode(data.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestDeliveryLink(SpmDeliveryCommon):
    def test_delivery_visit_lists_its_customers_picking(self):
        picking = self._picking()
        visit = self._delivery_visit(picking, checked_in=False)
        self.assertEqual(visit.picking_ids, picking)
        self.assertEqual(picking.spm_visit_ids, visit)
        self.assertEqual(visit.delivery_count, 1)

    def test_picking_of_another_customer_is_refused_at_create(self):
        picking = self._picking(partner=self.other_customer)
        with self.assertRaisesRegex(
            ValidationError, "is a delivery to Jincheng Trading, not to Nanjing Road Outlet"
        ):
            self._delivery_visit(picking, checked_in=False)

    def test_picking_of_another_customer_is_refused_at_write(self):
        visit = self._delivery_visit(self._picking(), checked_in=False)
        other = self._picking(partner=self.other_customer)
        with self.assertRaisesRegex(ValidationError, "Plan a delivery visit to Jincheng Trading"):
            visit.with_user(self.rep).write({"picking_ids": [Command.link(other.id)]})

    def test_picking_of_another_customer_is_refused_from_the_picking(self):
        visit = self._delivery_visit(self._picking(), checked_in=False)
        other = self._picking(partner=self.other_customer)
        with self.assertRaisesRegex(ValidationError, "is a delivery to Jincheng Trading"):
            other.write({"spm_visit_ids": [Command.link(visit.id)]})

    def test_picking_moved_to_another_customer_is_refused(self):
        picking = self._picking()
        self._delivery_visit(picking, checked_in=False)
        with self.assertRaisesRegex(ValidationError, "is a delivery to Jincheng Trading"):
            picking.partner_id = self.other_customer

    def test_delivery_address_of_the_customer_is_accepted(self):
        address = self.env["res.partner"].create(
            {"name": "Back door", "type": "delivery", "parent_id": self.customer.id}
        )
        picking = self._picking()
        picking.partner_id = address
        visit = self._delivery_visit(picking, checked_in=False)
        self.assertEqual(visit.picking_ids, picking)

    def test_picking_of_another_company_is_refused(self):
        picking = self._picking(partner=self.other_customer)
        visit = self._visit(
            partner=self.other_customer,
            user=self.other_rep,
            purpose="delivery",
            company_id=self.other_company.id,
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            visit.write({"picking_ids": [Command.link(picking.id)]})

    def test_visit_of_another_purpose_lists_no_delivery(self):
        picking = self._picking()
        with self.assertRaisesRegex(ValidationError, "its purpose is not Delivery"):
            self._visit(purpose="routine", picking_ids=[Command.set(picking.ids)])
        visit = self._delivery_visit(picking, checked_in=False)
        with self.assertRaisesRegex(ValidationError, "its purpose is not Delivery"):
            visit.purpose = "routine"

    def test_receipt_is_no_delivery(self):
        receipt = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.warehouse.in_type_id.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "is not a delivery to a customer"):
            self._delivery_visit(receipt, checked_in=False)

    def test_bad_deliveries_value_is_refused_naming_the_field(self):
        visit = self._delivery_visit(self._picking(), checked_in=False)
        for value in ("WH/OUT/1", 3.5, [["x"]]):
            with self.assertRaisesRegex(ValidationError, "Deliveries"):
                visit.with_user(self.rep).write({"picking_ids": value})


@tagged("post_install", "-at_install")
class TestDeliveryProof(SpmDeliveryCommon):
    def test_signature_photos_and_position_reach_the_picking(self):
        picking = self._picking()
        visit = self._delivery_visit(picking).with_user(self.rep)
        visit.write({"delivery_signature": SIGNATURE, "delivery_signed_by": "Manager Zhou"})
        self.env["spm.visit.photo"].with_user(self.rep).create(
            {"visit_id": visit.id, "name": "Boxes at the door", "image": _photo()}
        )
        visit.action_spm_send_delivery_proof()
        self.assertTrue(picking.signature)
        self.assertTrue(picking.is_signed)
        photo = self.env["spm.visit.photo"].search([("visit_id", "=", visit.id)])
        self.assertTrue(photo.stamped_attachment_id, "an image gets a stamped copy")
        copies = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("name", "in", (photo.attachment_id | photo.stamped_attachment_id).mapped("name")),
            ]
        )
        # the stamped copy: customer, local time, position and rep on the photo
        self.assertEqual(len(copies), 1)
        self.assertEqual(copies.name, photo.stamped_attachment_id.name)
        self.assertEqual(copies.raw, photo.stamped_attachment_id.raw)
        note = picking.message_ids.filtered(lambda m: "Proof of delivery" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(visit.name, note.body)
        self.assertIn("31.230400, 121.473700", note.body)
        self.assertIn("0 m from the customer", note.body)
        self.assertIn("signed by Manager Zhou", note.body)
        self.assertIn("1 photo(s)", note.body)

    def test_proof_sent_twice_copies_each_photo_once(self):
        picking = self._picking()
        visit = self._delivery_visit(picking).with_user(self.rep)
        self.env["spm.visit.photo"].with_user(self.rep).create(
            {"visit_id": visit.id, "image": _photo()}
        )
        visit.action_spm_send_delivery_proof()
        visit.action_spm_send_delivery_proof()
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
            ),
            1,
        )

    def test_proof_is_taken_once_checked_in(self):
        visit = self._delivery_visit(self._picking(), checked_in=False)
        with self.assertRaisesRegex(UserError, "Check in at the customer first"):
            visit.with_user(self.rep).action_spm_send_delivery_proof()

    def test_proof_is_sent_by_the_visits_rep(self):
        visit = self._delivery_visit(self._picking())
        with self.assertRaisesRegex(UserError, "only that rep or a sales manager acts on it"):
            visit.with_user(self.rep_stock).action_spm_send_delivery_proof()
        # nor by writing the visit (record rules: a rep changes his own visits)
        with self.assertRaises(AccessError):
            visit.with_user(self.rep_stock).delivery_signature = SIGNATURE

    def test_signature_is_taken_at_the_visit_checked_in(self):
        picking = self._picking()
        planned = self._delivery_visit(picking, checked_in=False).with_user(self.rep)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            planned.write({"delivery_signature": SIGNATURE})
        planned.action_check_in(31.2304, 121.4737)
        planned.write(
            {
                "delivery_signature": SIGNATURE,
                "delivery_signed_by": "Manager Zhou",
                "outcome": "Goods delivered",
            }
        )
        planned.action_check_out(31.2304, 121.4737)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            planned.write({"delivery_signed_by": "Somebody Else"})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            planned.write({"picking_ids": [Command.link(self._picking().id)]})

    def test_visit_without_open_delivery_has_no_proof_to_send(self):
        visit = self._visit(purpose="delivery", start=datetime.now())
        visit.with_user(self.rep).action_check_in(31.2304, 121.4737)
        with self.assertRaisesRegex(UserError, "has no delivery left to make"):
            visit.with_user(self.rep).action_spm_send_delivery_proof()


@tagged("post_install", "-at_install")
class TestDeliveryValidation(SpmDeliveryCommon):
    def _signed_visit(self, pickings, user):
        visit = self._delivery_visit(pickings, user=user).with_user(user)
        visit.delivery_signature = SIGNATURE
        return visit

    def test_rep_with_inventory_rights_validates_a_one_step_delivery(self):
        picking = self._picking()
        self.assertEqual(picking.state, "assigned")
        visit = self._signed_visit(picking, self.rep_stock)
        self.assertIs(visit.action_spm_validate_delivery(), True)
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.signature)
        self.assertEqual(picking.sale_id.order_line.qty_delivered, 10)

    def test_rep_without_inventory_rights_may_not_validate(self):
        picking = self._picking()
        visit = self._signed_visit(picking, self.rep)
        with self.assertRaisesRegex(
            UserError, "has no Inventory rights and may not validate .*ask the warehouse"
        ):
            visit.action_spm_validate_delivery()
        self.assertEqual(picking.state, "assigned")

    def test_delivery_is_signed_before_it_is_validated(self):
        picking = self._picking()
        visit = self._delivery_visit(picking, user=self.rep_stock).with_user(self.rep_stock)
        with self.assertRaisesRegex(UserError, "the customer has not signed"):
            visit.action_spm_validate_delivery()

    def test_multi_step_warehouse_validates_in_the_warehouse(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._order()
        # the warehouse picks the goods; the ship step is the delivery to the customer
        self._validate(order.picking_ids.filtered(lambda p: p.picking_type_code == "internal"))
        ship = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(ship), 1)
        visit = self._signed_visit(ship, self.rep_stock)
        with self.assertRaisesRegex(
            UserError, "in several steps .*the warehouse validates it there"
        ):
            visit.action_spm_validate_delivery()
        self.assertNotEqual(ship.state, "done")

    def test_partial_delivery_asks_odoo_for_a_backorder(self):
        picking = self._picking()
        picking.move_ids.quantity = 4
        visit = self._signed_visit(picking, self.rep_stock)
        action = visit.action_spm_validate_delivery()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        wizard = Form.from_action(self.env(user=self.rep_stock), action).save()
        wizard.process()
        self.assertEqual(picking.state, "done")
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 6)
        self.assertEqual(backorder.spm_promised_date, picking.spm_promised_date)

    def test_colleague_may_not_validate_anothers_delivery_visit(self):
        visit = self._signed_visit(self._picking(), self.rep)
        with self.assertRaisesRegex(UserError, "only that rep or a sales manager"):
            visit.with_user(self.rep_stock).action_spm_validate_delivery()


@tagged("post_install", "-at_install")
class TestDeliveryOnTime(SpmDeliveryCommon):
    def test_promise_is_the_orders_commitment_date(self):
        promised = datetime(2026, 3, 10, 8, 0)
        picking = self._picking(commitment_date=promised)
        self.assertEqual(picking.spm_promised_date, promised)

    def test_promise_is_the_first_scheduled_date_without_commitment(self):
        picking = self._picking()
        self.assertTrue(picking.spm_promised_date)
        self.assertEqual(picking.spm_promised_date, picking.scheduled_date)

    def test_rescheduling_does_not_move_the_promise(self):
        picking = self._picking()
        promised = picking.spm_promised_date
        picking.scheduled_date = promised + timedelta(days=5)
        self.assertEqual(picking.spm_promised_date, promised)

    def test_warehouse_user_opens_a_delivery_a_visit_made(self):
        picking = self._picking()
        self._delivery_visit(picking)
        with Form(picking.with_user(self.warehouse_user)) as form:
            form.scheduled_date = picking.scheduled_date + timedelta(days=1)
        self.assertTrue(picking.spm_visit_ids)

    def test_on_time_rep_and_visits_are_not_written_on_the_picking(self):
        picking = self._picking()
        other_visit = self._delivery_visit(self._picking(), user=self.rep_stock)
        for vals in (
            {"spm_on_time": True},
            {"spm_user_id": self.rep_stock.id},
            {"spm_visit_ids": [Command.link(other_visit.id)]},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                picking.with_user(self.rep_stock).write(vals)
        self.assertFalse(picking.spm_visit_ids)

    def test_warehouse_may_not_move_the_promise(self):
        picking = self._picking()
        promised = picking.spm_promised_date
        with self.assertRaisesRegex(AccessError, "Promised Date cannot be written directly"):
            picking.with_user(self.warehouse_user).write(
                {"spm_promised_date": promised + timedelta(days=5)}
            )
        self.assertEqual(picking.spm_promised_date, promised)
        with self.assertRaisesRegex(AccessError, "Promised Date cannot be written directly"):
            picking.with_user(self.warehouse_user).copy(
                {"spm_promised_date": promised + timedelta(days=5)}
            )

    def test_sales_manager_may_correct_the_promise(self):
        picking = self._picking()
        corrected = picking.spm_promised_date + timedelta(days=2)
        picking.with_user(self.manager).write({"spm_promised_date": corrected})
        self.assertEqual(picking.spm_promised_date, corrected)

    def test_done_by_the_promised_day_is_on_time(self):
        # promised for 2026-03-10 in Shanghai (02:00 UTC), done that day at 23:00 local
        picking = self._picking(commitment_date=datetime(2026, 3, 10, 2, 0))
        with freeze_time("2026-03-10 15:00:00"):
            self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.spm_on_time)

    def test_done_the_day_after_the_promise_is_late(self):
        picking = self._picking(commitment_date=datetime(2026, 3, 10, 2, 0))
        # 2026-03-11 00:30 in Shanghai, still the 10th in UTC
        with freeze_time("2026-03-10 16:30:00"):
            self._validate(picking)
        self.assertFalse(picking.spm_on_time)

    def test_delivery_late_against_its_first_plan_is_late_after_rescheduling(self):
        with freeze_time("2026-03-02 02:00:00"):
            picking = self._picking()
        picking.scheduled_date = datetime(2026, 3, 9, 2, 0)
        with freeze_time("2026-03-08 02:00:00"):
            self._validate(picking)
        self.assertFalse(picking.spm_on_time)

    def test_open_delivery_is_not_on_time(self):
        self.assertFalse(self._picking().spm_on_time)

    def test_rep_of_a_delivery_is_the_orders_salesperson_else_the_customers(self):
        picking = self._picking(user=self.rep_colleague)
        self.assertEqual(picking.spm_user_id, self.rep_colleague)
        picking.sale_id.user_id = False
        self.assertEqual(picking.spm_user_id, self.rep)

    def test_delivery_made_stays_the_reps_who_had_it(self):
        picking = self._picking()
        open_picking = self._picking()
        self._validate(picking)
        # the customer and the order go to a colleague: the delivery made stays the rep's,
        # the open one follows
        self.customer.user_id = self.rep_colleague
        (picking | open_picking).sale_id.user_id = self.rep_colleague
        self.env.flush_all()
        self.assertEqual(picking.spm_user_id, self.rep)
        self.assertEqual(open_picking.spm_user_id, self.rep_colleague)
        report = self.env["spm.delivery.report"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(report.user_id, self.rep)
        self.assertEqual(report.picking_count, 1)


@tagged("post_install", "-at_install")
class TestDeliveryMyDay(SpmDeliveryCommon):
    def test_my_day_counts_the_deliveries_ready_for_the_reps_customers(self):
        self._picking()
        self._picking(partner=self.other_customer)
        self._picking(user=self.rep_colleague)
        done = self._picking()
        self._validate(done)
        Picking = self.env["stock.picking"].with_user(self.rep)
        self.assertEqual(Picking.spm_my_deliveries_count(), 2)
        self.assertEqual(
            self.env["stock.picking"].with_user(self.rep_colleague).spm_my_deliveries_count(), 1
        )

    def test_my_day_count_is_one_query_whatever_the_deliveries(self):
        Picking = self.env["stock.picking"].with_user(self.rep)
        self._picking()
        Picking.spm_my_deliveries_count()
        with self.assertQueryCount(1):
            self.assertEqual(Picking.spm_my_deliveries_count(), 1)
        for _i in range(5):
            self._picking()
        self.env.invalidate_all()
        Picking.spm_my_deliveries_count()
        with self.assertQueryCount(1):
            self.assertEqual(Picking.spm_my_deliveries_count(), 6)

    def test_plan_delivery_visit_creates_then_opens_the_visit(self):
        picking = self._picking().with_user(self.rep)
        action = picking.action_spm_plan_delivery_visit()
        visit = self.env["spm.visit"].browse(action["res_id"])
        self.assertEqual(visit.purpose, "delivery")
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.user_id, self.rep)
        self.assertEqual(visit.picking_ids, picking)
        self.assertEqual(visit.state, "planned")
        again = picking.action_spm_plan_delivery_visit()
        self.assertEqual(again["res_id"], visit.id)

    def test_a_manager_plans_the_delivery_visit_for_the_deliverys_rep(self):
        picking = self._picking(user=self.rep_colleague)
        action = picking.with_user(self.manager).action_spm_plan_delivery_visit()
        visit = self.env["spm.visit"].browse(action["res_id"])
        self.assertEqual(visit.user_id, self.rep_colleague)
        # a delivery without rep is the manager's own
        unowned = self._picking(user=self.rep_colleague)
        unowned.sale_id.user_id = self.customer.user_id = False
        action = unowned.with_user(self.manager).action_spm_plan_delivery_visit()
        self.assertEqual(self.env["spm.visit"].browse(action["res_id"]).user_id, self.manager)

    def test_plan_delivery_visit_to_a_delivery_address_visits_the_customer(self):
        address = self.env["res.partner"].create(
            {"name": "Warehouse gate", "type": "delivery", "parent_id": self.customer.id}
        )
        picking = self._picking()
        picking.partner_id = address
        action = picking.with_user(self.rep).action_spm_plan_delivery_visit()
        visit = self.env["spm.visit"].browse(action["res_id"])
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.contact_id, address)
