import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common_service_rating import SpmServiceRatingCommon


@tagged("post_install", "-at_install")
class TestServiceRating(SpmServiceRatingCommon):
    def _rating_mail(self, request):
        return self.env["mail.mail"].search(
            [("model", "=", "spm.service.request"), ("res_id", "=", request.id)]
        )

    def test_closing_queues_the_rating_email_with_a_token(self):
        request = self._close(self._request())
        rating = self._pending_rating(request)
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertEqual(rating.rated_partner_id, self.rep.partner_id)
        mail = self._rating_mail(request)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.contact)
        for score in (1, 3, 5):
            self.assertIn(f"/rate/{rating.access_token}/{score}", mail.body_html)
        self.assertIn(request.name, mail.subject)

    def test_the_rating_goes_to_the_customer_without_a_contact(self):
        request = self._close(self._request(contact_id=False))
        self.assertEqual(self._rating_mail(request).recipient_ids, self.customer)

    def test_no_rating_email_without_an_address(self):
        self.contact.email = False
        request = self._close(self._request())
        self.assertFalse(self._rating_mail(request))
        self.assertFalse(self._pending_rating(request))

    def test_the_template_is_shipped(self):
        template = self.env.ref("sales_process_mgmt.mail_template_spm_service_rating")
        self.assertEqual(template.model, "spm.service.request")

    def test_each_face_of_the_email_sets_the_satisfaction(self):
        for score in (1, 3, 5):
            with self.subTest(score=score):
                request = self._close(self._request())
                token = self._pending_rating(request).access_token
                request.sudo().rating_apply(score, token=token)
                self.assertEqual(request.satisfaction, score)
                self.assertEqual(request.satisfaction_level, str(score))

    def test_rating_is_shown_in_the_chatter_and_the_analysis(self):
        request = self._close(self._request())
        request.sudo().rating_apply(3, token=self._pending_rating(request).access_token)
        self.env.flush_all()
        row = self.env["spm.service.report"].search([("request_id", "=", request.id)])
        self.assertEqual(row.avg_satisfaction, 3)
        self.assertEqual(row.rated_count, 1)

    def test_rep_cannot_write_the_satisfaction(self):
        request = self._request()
        for user in (self.rep, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "Satisfaction"):
                request.with_user(user).write({"satisfaction": 5})
        with self.assertRaisesRegex(AccessError, "Satisfaction"):
            self._request(satisfaction=5)
        self.assertEqual(request.satisfaction, 0)

    def test_rep_cannot_forge_a_rating_of_his_request(self):
        request = self._close(self._request())
        rating = self._pending_rating(request)
        with self.assertRaisesRegex(AccessError, "customer's answer"):
            rating.with_user(self.rep).write({"rating": 5, "consumed": True})
        with self.assertRaisesRegex(AccessError, "customer's answer"):
            request.with_user(self.rep).rating_apply(5, token=rating.access_token)
        with self.assertRaisesRegex(AccessError, "customer's answer"):
            self.env["rating.rating"].with_user(self.rep).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("spm.service.request"),
                    "res_id": request.id,
                    "partner_id": self.customer.id,
                    "rating": 5,
                    "consumed": True,
                }
            )
        self.assertEqual(request.satisfaction, 0)

    def test_a_rating_posted_by_an_employee_is_not_the_customers(self):
        request = self._request()
        request.with_user(self.rep).message_post(body="Great job", rating_value=5)
        self.assertTrue(request.rating_ids)
        self.assertEqual(request.satisfaction, 0)

    def test_the_latest_answer_wins(self):
        request = self._close(self._request())
        token = self._pending_rating(request).access_token
        visit = self._follow_up_visit(request)
        visit.with_user(self.rep).action_spm_record_satisfaction(request.id, 2)
        self.assertEqual(request.satisfaction, 2)
        # the customer answers the e-mail afterwards
        request.sudo().rating_apply(5, token=token)
        self.assertEqual(request.satisfaction, 5)
        # and tells the rep something else at the visit later
        visit.with_user(self.rep).action_spm_record_satisfaction(request.id, 3)
        self.assertEqual(request.satisfaction, 3)

    def test_a_withdrawn_rating_falls_back_on_the_one_before(self):
        request = self._close(self._request())
        rating = self._pending_rating(request)
        request.sudo().rating_apply(5, rating=rating)
        visit = self._follow_up_visit(request)
        visit.with_user(self.rep).action_spm_record_satisfaction(request.id, 2)
        latest = request.sudo().rating_ids.filtered(lambda r: r.rating == 2)
        latest.unlink()
        self.assertEqual(request.satisfaction, 5)
        rating.reset()
        self.assertEqual(request.satisfaction, 0)


@tagged("post_install", "-at_install")
class TestServiceRatingPage(HttpCase, SpmServiceRatingCommon):
    def test_customer_rates_from_the_email_link(self):
        request = self._close(self._request())
        token = self._pending_rating(request).access_token
        page = self.url_open(f"/rate/{token}/5")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 5, "feedback": "Fixed the same day", "csrf_token": csrf},
        )
        self.assertEqual(done.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(request.satisfaction, 5)
        self.assertEqual(request.rating_last_feedback, "Fixed the same day")
        self.assertTrue(
            request.message_ids.filtered(lambda message: "Fixed the same day" in message.body)
        )
