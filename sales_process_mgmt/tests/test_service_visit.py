from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SpmPhoneTourCase
from .common_service_rating import SpmServiceRatingCommon


@tagged("post_install", "-at_install")
class TestServiceFollowUpVisit(SpmServiceRatingCommon):
    @freeze_time("2026-03-02 06:00:00")
    def test_plan_follow_up_creates_an_after_sales_visit_linked_back(self):
        request = self._resolve(self._request())
        action = request.with_user(self.rep).action_plan_follow_up()
        visit = request.visit_id
        self.assertEqual(action["res_model"], "spm.visit")
        self.assertEqual(action["res_id"], visit.id)
        self.assertEqual(visit.purpose, "after_sales")
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.contact_id, self.contact)
        self.assertEqual(visit.user_id, self.rep)
        self.assertEqual(visit.state, "planned")
        # the next day at 10:00 in Shanghai
        self.assertEqual(visit.planned_start, datetime(2026, 3, 3, 2, 0))
        self.assertIn(request.name, visit.objective)
        self.assertEqual(visit.follow_up_request_ids, request)
        self.assertEqual(visit.service_request_count, 1)
        self.assertIn(visit.name, request.message_ids[0].body)

    def test_a_manager_plans_it_for_the_requests_rep(self):
        request = self._request()
        request.with_user(self.manager).action_plan_follow_up()
        self.assertEqual(request.visit_id.user_id, self.rep)

    def test_plan_follow_up_is_refused_without_customer(self):
        request = self._request(partner_id=False, contact_id=False)
        with self.assertRaisesRegex(UserError, "has no customer yet"):
            request.with_user(self.rep).action_plan_follow_up()

    def test_plan_follow_up_is_refused_for_a_cancelled_request(self):
        request = self._request()
        request.action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            request.with_user(self.rep).action_plan_follow_up()

    def test_one_open_follow_up_visit_at_a_time(self):
        request = self._request()
        request.action_plan_follow_up()
        first = request.visit_id
        with self.assertRaisesRegex(UserError, "already has follow-up visit"):
            request.action_plan_follow_up()
        first.action_cancel()
        request.action_plan_follow_up()
        self.assertNotEqual(request.visit_id, first)
        self.assertEqual(request.visit_id.state, "planned")

    def test_others_cannot_plan_the_follow_up_of_a_reps_request(self):
        request = self._request()
        for user in (self.rep_colleague, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.with_user(user).action_plan_follow_up()
        self.assertFalse(request.visit_id)

    def test_rep_cannot_link_a_visit_himself(self):
        request = self._request()
        visit = self._visit(purpose="after_sales")
        with self.assertRaisesRegex(AccessError, "Follow-up Visit"):
            request.with_user(self.rep).write({"visit_id": visit.id})


@tagged("post_install", "-at_install")
class TestServiceRequestFromVisit(SpmServiceRatingCommon):
    def _checked_in_visit(self, user=None):
        visit = self._visit(user=user)
        visit._spm_write_proof({"state": "in_progress", "check_in_time": datetime(2026, 3, 2, 2)})
        return visit

    def _open_from(self, visit, user=None):
        action = visit.with_user(user or self.rep).action_new_service_request()
        return self.Request.with_user(user or self.rep).with_context(**action["context"])

    def test_the_visit_button_opens_a_request_for_its_customer(self):
        visit = self._checked_in_visit()
        with Form(self._open_from(visit)) as form:
            self.assertEqual(form.partner_id, self.customer)
            form.subject = "Screen flickers"
        request = form.record
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.user_id, self.rep)
        self.assertEqual(request.source_visit_id, visit)
        self.assertEqual(visit.service_request_ids, request)
        self.assertEqual(visit.service_request_count, 1)
        action = visit.action_view_service_requests()
        self.assertEqual(self.Request.search(action["domain"]), request)

    def test_a_planned_visit_opens_no_request(self):
        visit = self._visit()
        with self.assertRaisesRegex(UserError, "once checked in"):
            visit.with_user(self.rep).action_new_service_request()
        with self.assertRaisesRegex(UserError, "once checked in"):
            self.Request.with_user(self.rep).with_context(spm_from_visit_id=visit.id).create(
                {"subject": "Screen flickers", "partner_id": self.customer.id}
            )

    def test_a_request_from_a_visit_is_for_its_customer(self):
        visit = self._checked_in_visit()
        other = self.env["res.partner"].create(
            {"name": "Other Outlet", "is_company": True, "user_id": self.rep.id}
        )
        with self.assertRaisesRegex(UserError, "is for its customer"):
            self._open_from(visit).create({"subject": "Screen flickers", "partner_id": other.id})
        # one of the customer's contacts is the customer
        request = self._open_from(visit).create(
            {"subject": "Screen flickers", "partner_id": self.contact.id}
        )
        self.assertEqual(request.source_visit_id, visit)

    def test_a_colleague_opens_no_request_from_the_reps_visit(self):
        visit = self._checked_in_visit()
        with self.assertRaisesRegex(UserError, "only that rep or a sales manager"):
            visit.with_user(self.leader).action_new_service_request()
        request = self._open_from(visit, user=self.manager).create({"subject": "Screen flickers"})
        self.assertEqual(request.source_visit_id, visit)

    def test_a_wrong_visit_in_the_context_is_refused(self):
        for value in ("1", True, [1], -1, 999999999):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, "open the request again from the visit"),
            ):
                self.Request.with_user(self.rep).with_context(spm_from_visit_id=value).create(
                    {"subject": "Screen flickers", "partner_id": self.customer.id}
                )

    def test_the_source_visit_is_not_written_directly(self):
        visit = self._checked_in_visit()
        with self.assertRaisesRegex(AccessError, "From Visit"):
            self._request(source_visit_id=visit.id)


@tagged("post_install", "-at_install")
class TestServiceSatisfactionAtVisit(SpmServiceRatingCommon):
    def setUp(self):
        super().setUp()
        self.request = self._resolve(self._request())

    def test_rep_records_the_customers_answer_at_the_follow_up_visit(self):
        visit = self._follow_up_visit(self.request)
        visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)
        self.assertEqual(self.request.satisfaction, 4)
        rating = self.request.rating_ids
        self.assertEqual(rating.rating, 4)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertEqual(rating.create_uid, self.rep)
        self.assertTrue(
            self.request.message_ids.filtered(
                lambda message: "recorded by" in message.body and visit.name in message.body
            )
        )

    def test_the_card_buttons_record_the_answer(self):
        visit = self._follow_up_visit(self.request)
        self.request.with_user(self.rep).with_context(
            spm_visit_id=visit.id, spm_satisfaction=5
        ).action_spm_satisfaction_on_visit()
        self.assertEqual(self.request.satisfaction, 5)
        with self.assertRaisesRegex(ValidationError, "tap the score"):
            self.request.with_user(self.rep).with_context(
                spm_satisfaction=5
            ).action_spm_satisfaction_on_visit()

    def test_a_done_visit_still_records_it(self):
        visit = self._follow_up_visit(self.request)
        visit._spm_write_proof({"state": "done", "check_out_time": visit.check_in_time})
        visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 3)
        self.assertEqual(self.request.satisfaction, 3)

    def test_the_visit_must_be_checked_in(self):
        visit = self._follow_up_visit(self.request, checked_in=False)
        with self.assertRaisesRegex(UserError, "check in at the customer"):
            visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)
        self.assertEqual(self.request.satisfaction, 0)

    def test_only_on_the_requests_follow_up_visit(self):
        other_visit = self._visit()
        other_visit._spm_write_proof(
            {
                "state": "done",
                "check_in_time": datetime(2026, 3, 2, 2),
                "check_out_time": datetime(2026, 3, 2, 3),
            }
        )
        with self.assertRaisesRegex(UserError, "has no follow-up visit"):
            other_visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)
        self._follow_up_visit(self.request)
        with self.assertRaisesRegex(UserError, "is not the follow-up visit"):
            other_visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)
        self.assertEqual(self.request.satisfaction, 0)

    def test_only_at_the_requests_customer(self):
        visit = self._follow_up_visit(self.request, checked_in=False)
        other = self.env["res.partner"].create(
            {"name": "Other Outlet", "is_company": True, "user_id": self.rep.id}
        )
        visit.write({"partner_id": other.id})
        visit._spm_write_proof({"state": "in_progress", "check_in_time": datetime(2026, 3, 2, 2)})
        with self.assertRaisesRegex(UserError, "plan a follow-up visit to"):
            visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)

    def test_only_the_visits_rep_or_a_manager(self):
        visit = self._follow_up_visit(self.request)
        with self.assertRaisesRegex(UserError, "or a sales manager records"):
            visit.with_user(self.leader).action_spm_record_satisfaction(self.request.id, 4)
        with self.assertRaises(AccessError):
            visit.with_user(self.rep_colleague).action_spm_record_satisfaction(self.request.id, 4)
        visit.with_user(self.manager).action_spm_record_satisfaction(self.request.id, 2)
        self.assertEqual(self.request.satisfaction, 2)

    def test_not_for_a_cancelled_request(self):
        visit = self._follow_up_visit(self.request)
        self.request.action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4)

    def test_the_answer_is_a_whole_number_from_1_to_5(self):
        visit = self._follow_up_visit(self.request)
        for score in (0, 6, -1, 4.5, "5", True, None, [5]):
            with (
                self.subTest(score=score),
                self.assertRaisesRegex(ValidationError, "whole number from 1"),
            ):
                visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, score)
        for request_id in ("1", None, True, 0):
            with (
                self.subTest(request_id=request_id),
                self.assertRaisesRegex(ValidationError, "say which request"),
            ):
                visit.with_user(self.rep).action_spm_record_satisfaction(request_id, 4)
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            visit.with_user(self.rep).action_spm_record_satisfaction(999999999, 4)
        with self.assertRaisesRegex(ValidationError, "is a text"):
            visit.with_user(self.rep).action_spm_record_satisfaction(self.request.id, 4, ["no"])
        self.assertEqual(self.request.satisfaction, 0)
        self.assertFalse(self.request.rating_ids)


@tagged("post_install", "-at_install")
class TestServiceVisitTour(SpmPhoneTourCase):
    def test_rep_records_the_customers_satisfaction_with_one_tap_on_a_phone(self):
        rep = new_test_user(
            self.env,
            login="spm_service_tour_rep",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "上海浦东新区张江高科技园区通讯器材旗舰店",
                "is_company": True,
                "user_id": rep.id,
            }
        )
        request = (
            self.env["spm.service.request"]
            .with_user(rep)
            .create({"subject": "Tour repair", "partner_id": customer.id, "user_id": rep.id})
        )
        request.action_plan_follow_up()
        visit = request.visit_id
        visit._spm_write_proof({"state": "in_progress", "check_in_time": fields.Datetime.now()})
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_visit_action/{visit.id}",
            "spm_service_visit_tour",
            login="spm_service_tour_rep",
        )
        self.env.invalidate_all()
        self.assertEqual(request.satisfaction, 4)
        self.assertEqual(request.rating_ids.create_uid, rep)
