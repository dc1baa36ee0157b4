import base64
import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SpmPhoneTourCase
from .common_pop import PHOTO
from .common_service_intake import SpmServiceIntakeCommon

REFUSAL = "not one of your company's"


class SpmServicePortalCommon(SpmServiceIntakeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_a = cls._service_request(
            cls.customer_a, "Screen flickers", contact_id=cls.portal_a.partner_id.id
        )
        cls.request_a_other = cls._service_request(cls.customer_a, "Charger missing")
        cls.request_b = cls._service_request(cls.customer_b, "Binhai secret complaint")


@tagged("post_install", "-at_install")
class TestServicePortal(SpmServicePortalCommon, HttpCase):
    def _post(self, service_request, body, **params):
        response = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "spm.service.request",
                        "thread_id": service_request.id,
                        "post_data": {"body": body, "message_type": "comment"},
                        **params,
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _upload(self, service_request):
        return self.url_open(
            "/mail/attachment/upload",
            {
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": service_request.id,
                "thread_model": "spm.service.request",
                "is_pending": "true",
            },
            files={"ufile": ("screen.png", base64.b64decode(PHOTO), "image/png")},
        )

    def test_portal_lists_the_requests_of_the_users_company_only(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        response = self.url_open("/my/service-requests")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.request_a.name, response.text)
        self.assertIn(self.request_a_other.name, response.text)
        self.assertNotIn(self.request_b.name, response.text)
        self.assertNotIn("Binhai secret complaint", response.text)

    def test_portal_home_counts_the_company_requests(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["spm_service_request_count"]}
        )
        self.assertEqual(counters["spm_service_request_count"], 2)
        self.assertIn("/my/service-requests", self.url_open("/my").text)

    def test_portal_list_sorts_and_filters_and_ignores_unknown_options(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        self.request_a_other._spm_protected().write({"state": "cancelled"})
        response = self.url_open("/my/service-requests?filterby=open&sortby=state")
        self.assertIn(self.request_a.name, response.text)
        self.assertNotIn(self.request_a_other.name, response.text)
        response = self.url_open("/my/service-requests?filterby=nonsense&sortby=1;drop")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.request_a_other.name, response.text)

    def test_portal_contact_opens_a_request_of_his_company(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        response = self.url_open(f"/my/service-requests/{self.request_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Screen flickers", response.text)
        self.assertIn('data-res_model="spm.service.request"', response.text, "its chatter")

    def test_portal_contact_opening_another_customers_request_is_sent_back(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        for url in (
            f"/my/service-requests/{self.request_b.id}",
            f"/my/service-requests/{self.request_b.id}?access_token=wrong",
            "/my/service-requests/999999999",
        ):
            response = self.url_open(url)
            self.assertTrue(response.url.endswith("/my"), f"{url} went to {response.url}")
            self.assertNotIn("Binhai secret complaint", response.text)

    def test_a_request_id_that_is_no_number_is_not_found(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        with mute_logger("odoo.http"):
            response = self.url_open("/my/service-requests/abc")
        self.assertEqual(response.status_code, 404)

    def test_the_share_link_opens_the_request_without_an_account(self):
        self.authenticate(None, None)
        token = self.request_b._portal_ensure_token()
        response = self.url_open(f"/my/service-requests/{self.request_b.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Binhai secret complaint", response.text)
        response = self.url_open(f"/my/service-requests/{self.request_b.id}?access_token=x")
        self.assertNotIn("Binhai secret complaint", response.text)

    def test_portal_contact_replies_to_his_companys_request(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        result = self._post(self.request_a, "It flickers again this morning.")
        self.assertNotIn("error", result)
        message = self.request_a.message_ids.filtered(
            lambda m: m.body and "flickers again" in m.body
        )
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(self.request_a.first_response_date, "a customer's reply is no response")

    def test_portal_contact_attaches_the_photo_to_his_reply(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        attachment = self._upload(self.request_a).json()["data"]["ir.attachment"][0]
        response = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "spm.service.request",
                        "thread_id": self.request_a.id,
                        "post_data": {
                            "body": "Photo attached.",
                            "message_type": "comment",
                            "attachment_ids": [attachment["id"]],
                        },
                        "attachment_tokens": [attachment["access_token"]],
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn("error", response.json())
        message = self.request_a.message_ids.filtered(
            lambda m: m.body and "Photo attached" in m.body
        )
        self.assertEqual(message.attachment_ids.name, "screen.png")
        self.assertEqual(message.attachment_ids.res_id, self.request_a.id)

    def test_portal_contact_writing_to_another_customers_request_is_refused(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        before = len(self.request_b.message_ids)
        with mute_logger("odoo.http"):
            result = self._post(self.request_b, "Let me in.", token="wrong")
        self.assertIn(REFUSAL, result["error"]["data"]["message"])
        self.request_b.invalidate_recordset()
        self.assertEqual(len(self.request_b.message_ids), before)

    def test_a_garbage_signature_on_another_customers_request_is_refused(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        with mute_logger("odoo.http"):
            result = self._post(self.request_b, "Let me in.", pid="abc", hash="x", token=[1])
        self.assertIn(REFUSAL, result["error"]["data"]["message"])
        self.request_b._portal_ensure_token()
        for params in ({"token": [1]}, {"hash": ["x"], "pid": self.portal_a.partner_id.id}):
            with mute_logger("odoo.http"):
                result = self._post(self.request_b, "Let me in.", **params)
            self.assertIn(REFUSAL, result["error"]["data"]["message"])
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/mail/message/post",
                data=json.dumps(
                    {
                        "params": {
                            "thread_model": "spm.service.request",
                            "thread_id": "abc",
                            "post_data": {"body": "Let me in."},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn(REFUSAL, response.json()["error"]["data"]["message"])

    def test_portal_contact_uploading_to_another_customers_request_is_refused(self):
        self.authenticate("spm_portal_a", "spm_portal_a")
        with mute_logger("odoo.http"):
            response = self._upload(self.request_b)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "spm.service.request"), ("res_id", "=", self.request_b.id)]
            )
        )

    def test_portal_user_cannot_change_his_companys_request(self):
        request = self.request_a.with_user(self.portal_a)
        self.assertEqual(request.subject, "Screen flickers")
        with self.assertRaises(AccessError):
            request.write({"subject": "Changed"})
        self.assertFalse(
            self.env["spm.service.request"]
            .with_user(self.portal_a)
            .search([("id", "=", self.request_b.id)])
        )


@tagged("post_install", "-at_install")
class TestServicePortalTour(SpmServicePortalCommon, SpmPhoneTourCase):
    def test_portal_contact_answers_a_request_on_a_phone(self):
        self.start_tour("/my", "spm_service_portal_tour", login="spm_portal_a")
        message = self.request_a.message_ids.filtered(
            lambda m: m.body and "I can bring it tomorrow" in m.body
        )
        self.assertEqual(message.author_id, self.portal_a.partner_id)
