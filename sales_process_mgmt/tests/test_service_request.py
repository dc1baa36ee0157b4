from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_service import SpmServiceCommon


@tagged("post_install", "-at_install")
class TestServiceRequest(SpmServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product_vals = {"type": "consu", "taxes_id": [Command.clear()], "list_price": 100.0}
        cls.phone, cls.tablet, cls.cable = cls.env["product.product"].create(
            [
                dict(product_vals, name="Phone S1"),
                dict(product_vals, name="Tablet P10"),
                dict(product_vals, name="Cable"),
            ]
        )
        cls.env["spm.discount.policy"].search([]).active = False
        cls.phone_order = cls._order(cls.customer, cls.phone)
        cls.tablet_order = cls._order(cls.customer_contact, cls.tablet)
        cls.draft_order = cls._order(cls.customer, cls.cable, confirm=False)
        cls.dealer_order = cls._order(cls.dealer, cls.cable)

    @classmethod
    def _order(cls, partner, product, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    # -- defaults and pickers -------------------------------------------------------

    def test_rep_and_team_default_to_the_customers(self):
        request = self._request()
        self.assertEqual(request.user_id, self.rep)
        self.assertEqual(request.team_id, self.team)
        self.assertRegex(request.name, r"^SR/\d{4}/\d{5}$")
        self.assertEqual(request.state, "new")

    def test_form_follows_the_customer_until_saved(self):
        with Form(self.env["spm.service.request"].with_user(self.manager)) as form:
            form.subject = "Tablet does not charge"
            form.partner_id = self.dealer
            self.assertEqual(form.user_id, self.rep_colleague)
            form.partner_id = self.customer
            self.assertEqual(form.user_id, self.rep)
            self.assertEqual(form.team_id, self.team)
            request = form.save()
        with Form(request) as form:
            form.partner_id = self.dealer
        self.assertEqual(request.user_id, self.rep, "a saved request keeps its rep")

    def test_request_of_a_customer_without_rep_is_its_openers(self):
        walk_in = self.env["res.partner"].create({"name": "Walk-in", "is_company": True})
        request = self._request(user=self.manager, partner_id=walk_in.id)
        self.assertEqual(request.user_id, self.manager)

    def test_request_by_the_system_without_customer_waits_unassigned(self):
        request = self.env["spm.service.request"].create({"subject": "Mail from a stranger"})
        self.assertFalse(request.user_id)
        with self.assertRaisesRegex(UserError, "no customer yet"):
            request.action_start()

    def test_products_are_those_of_the_order_or_of_the_confirmed_orders(self):
        request = self._request()
        self.assertEqual(request.allowed_product_ids, self.phone | self.tablet)
        request.order_id = self.tablet_order
        self.assertEqual(request.allowed_product_ids, self.tablet)

    def test_allowed_products_of_many_requests_are_read_at_once(self):
        def queries(records):
            records.invalidate_recordset(["allowed_product_ids"])
            before = self.env.cr.sql_log_count
            records.mapped("allowed_product_ids")
            return self.env.cr.sql_log_count - before

        one = self._request()
        many = one | self._request() | self._request(partner_id=self.dealer.id)
        many.mapped("partner_id.commercial_partner_id")
        self.assertEqual(queries(many), queries(one))
        self.assertEqual(many[2].allowed_product_ids, self.cable)

    def test_order_of_another_customer_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "pick one of the customer's orders"):
            self._request(order_id=self.dealer_order.id)
        request = self._request(order_id=self.phone_order.id)
        with self.assertRaisesRegex(ValidationError, "pick one of the customer's orders"):
            request.partner_id = self.dealer

    def test_contact_of_another_customer_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Stranger", "parent_id": self.dealer.id})
        with self.assertRaisesRegex(ValidationError, "not a contact of the customer"):
            self._request(contact_id=stranger.id)

    # -- states -------------------------------------------------------------------

    def test_request_goes_through_its_states(self):
        request = self._request()
        request.action_start()
        self.assertEqual(request.state, "in_progress")
        self.assertTrue(request.first_response_date)
        self._resolve(request)
        self.assertEqual(request.state, "resolved")
        self.assertTrue(request.resolved_date)
        request.action_close()
        self.assertEqual(request.state, "closed")
        self.assertTrue(request.closed_date)

    def test_resolving_without_a_resolution_is_refused(self):
        request = self._request()
        for empty in (False, "", "<p><br></p>", "<p>   </p>"):
            request.resolution = empty
            with self.assertRaisesRegex(UserError, "has no resolution"):
                request.action_resolve()
        self.assertEqual(request.state, "new")

    def test_closing_without_a_resolution_is_refused(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "cannot go from New to Closed"):
            request.action_close()
        self._resolve(request)
        with self.assertRaisesRegex(UserError, "resolution cannot be erased"):
            request.write({"resolution": "<p></p>"})
        with self.assertRaisesRegex(UserError, "resolution cannot be erased"):
            request.write({"resolution": False, "state": "closed"})
        self.assertEqual(request.state, "resolved")

    def test_back_to_work_may_rewrite_the_resolution(self):
        request = self._request()
        self._resolve(request)
        request.write({"state": "in_progress", "resolution": False})
        self.assertEqual(request.state, "in_progress")
        self.assertFalse(request.resolved_date)

    def test_kanban_drag_cannot_jump_states(self):
        request = self._request(user=self.rep)
        with self.assertRaisesRegex(UserError, "cannot go from New to Closed"):
            request.write({"state": "closed", "resolution": "<p>Done.</p>"})
        request.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot go from Cancelled to Processing"):
            request.write({"state": "in_progress"})

    def test_kanban_drag_to_resolved_records_the_resolution(self):
        request = self._request(user=self.rep)
        request.write({"state": "resolved", "resolution": "<p>Firmware updated.</p>"})
        self.assertEqual(request.state, "resolved")
        self.assertTrue(request.first_response_date)
        self.assertTrue(request.resolved_date)

    def test_request_is_created_new(self):
        Request = self.env["spm.service.request"].with_user(self.rep)
        vals = {"subject": "Broken", "partner_id": self.customer.id, "resolution": "<p>x</p>"}
        for state in ("in_progress", "resolved", "closed", "cancelled"):
            with self.assertRaisesRegex(UserError, "starts as New"):
                Request.create(dict(vals, state=state))
            with self.assertRaisesRegex(UserError, "starts as New"):
                Request.with_context(default_state=state).create(vals)
        request = Request.create(vals)
        self._resolve(request)
        with self.assertRaisesRegex(UserError, "starts as New"):
            request.copy({"state": "closed"})

    def test_copy_is_a_new_request(self):
        request = self._request()
        self._resolve(request)
        copy = request.copy()
        self.assertEqual(copy.state, "new")
        self.assertNotEqual(copy.name, request.name)
        self.assertFalse(copy.first_response_date or copy.resolved_date or copy.resolution)

    # -- reopening ------------------------------------------------------------------

    def test_reopening_a_closed_request_logs_the_reason(self):
        request = self._request(user=self.rep)
        self._resolve(request)
        request.action_close()
        wizard = Form(
            self.env["spm.service.reopen.wizard"]
            .with_user(self.rep)
            .with_context(default_request_id=request.id)
        )
        wizard.reason = "The customer says the screen flickers again."
        wizard.save().action_confirm()
        self.assertEqual(request.state, "in_progress")
        self.assertFalse(request.closed_date)
        bodies = request.message_ids.mapped("body")
        self.assertTrue(
            any("Reopened: The customer says the screen flickers again." in b for b in bodies)
        )

    def test_reopening_without_a_reason_is_refused(self):
        request = self._request()
        self._resolve(request)
        request.action_close()
        for reason in ("", "   ", False, None, 42):
            with self.assertRaisesRegex(UserError, "Say why the request is reopened"):
                request.action_reopen(reason)
        with self.assertRaisesRegex(UserError, "reopen it with the Reopen button"):
            request.write({"state": "in_progress"})
        with self.assertRaisesRegex(UserError, "reopen it with the Reopen button"):
            request.with_context(spm_reopen_reason="because", spm_service_reopen=True).write(
                {"state": "new"}
            )
        self.assertEqual(request.state, "closed")

    def test_only_a_closed_request_is_reopened(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "is not closed"):
            request.action_reopen("Again")

    # -- satisfaction and protected fields -----------------------------------------

    def test_satisfaction_outside_one_to_five_is_refused(self):
        request = self._request()
        self._resolve(request)
        for value in (0, 1, 5):
            request._spm_protected().write({"satisfaction": value})
        for value in (6, -1, 10):
            with self.assertRaisesRegex(ValidationError, "from 1 .* to 5"):
                request._spm_protected().write({"satisfaction": value})

    def test_rep_cannot_write_what_the_app_records(self):
        request = self._request(user=self.rep)
        recorded = {
            "first_response_date": "2026-01-09 10:00:00",
            "resolved_date": "2026-01-09 10:00:00",
            "response_deadline": "2030-01-01 00:00:00",
            "resolution_deadline": "2030-01-01 00:00:00",
            "sla_id": self.sla_urgent.id,
            "response_breached": True,
            "sla_breached": True,
            "escalated": True,
            "satisfaction": 5,
            "resolution_hours": 1.0,
            "source_visit_id": False,
        }
        as_rep = request.with_user(self.rep)
        for fname, value in recorded.items():
            if not value:
                continue
            with self.subTest(field=fname):
                with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                    as_rep.write({fname: value})
                with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                    as_rep.create(
                        {"subject": "Forged", "partner_id": self.customer.id, fname: value}
                    )
                with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                    as_rep.copy({fname: value})
        request.invalidate_recordset()
        self.assertFalse(
            request.first_response_date or request.sla_breached or request.satisfaction
        )

    def test_manager_cannot_write_the_recorded_moments_either(self):
        request = self._request()
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            request.with_user(self.manager).write({"response_breached": True})

    def test_history_is_written_by_the_system_only(self):
        request = self._request(user=self.rep)
        with self.assertRaisesRegex(AccessError, "Only the system"):
            request.with_user(self.manager)._spm_write_history({"response_breached": True})
        request.sudo()._spm_write_history({"response_breached": True})
        self.assertTrue(request.sla_breached)

    def test_wrong_typed_values_are_refused_naming_the_field(self):
        request = self._request(user=self.rep)
        as_rep = request.with_user(self.rep)
        for vals, label in (
            ({"priority": 5}, "Priority"),
            ({"priority": "9"}, "Priority"),
            ({"state": ["closed"]}, "Status"),
            ({"partner_id": "abc"}, "Customer"),
            ({"order_id": 10**9}, "Sales Order"),
            ({"subject": 42}, "Subject"),
            ({"request_type": "warranty"}, "Type"),
            ({"user_id": [self.rep.id]}, "Sales Rep"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, label):
                    as_rep.write(vals)

    # -- the customer's form -------------------------------------------------------

    def test_customer_form_counts_its_requests(self):
        self._request()
        self._request(partner_id=self.customer_contact.id)
        self._request(partner_id=self.dealer.id)
        self.assertEqual(self.customer.spm_service_request_count, 2)
        self.assertEqual(self.customer_contact.spm_service_request_count, 2)
        self.assertEqual(self.customer.with_user(self.rep).spm_service_request_count, 2)
        self.assertEqual(self.dealer.with_user(self.rep).spm_service_request_count, 0)
        action = self.customer_contact.action_spm_view_service_requests()
        self.assertEqual(action["domain"], [("partner_id", "child_of", self.customer.id)])
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
