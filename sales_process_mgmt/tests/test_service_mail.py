from odoo import Command
from odoo.tests import tagged

from .common_service_intake import SpmServiceIntakeCommon


@tagged("post_install", "-at_install")
class TestServiceMail(SpmServiceIntakeCommon):
    def _request(self, thread_id):
        return self.env["spm.service.request"].browse(thread_id)

    def test_the_alias_opens_service_requests_from_anyone(self):
        self.assertEqual(self.alias.alias_model_id.model, "spm.service.request")
        self.assertEqual(self.alias.alias_contact, "everyone")
        self.assertEqual(self.alias.alias_name, "service")

    def test_email_of_a_customer_contact_opens_a_request_of_its_company(self):
        request = self._request(
            self._receive(
                "Li Wei <li.wei@huatong.example.com>",
                "The handset does not charge",
                body="Bought last month, it stopped charging yesterday.",
            )
        )
        self.assertEqual(request.subject, "The handset does not charge")
        self.assertIn("stopped charging yesterday", request.description)
        self.assertTrue(request.name.startswith("SR/"), request.name)
        self.assertEqual(request.partner_id, self.customer_a)
        self.assertEqual(request.contact_id, self.contact_a)
        self.assertEqual(request.user_id, self.rep_colleague, "the customer's rep follows it")
        self.assertEqual(request.company_id, self.company)
        self.assertEqual(request.state, "new")
        self.assertIn(self.contact_a, request.message_partner_ids, "the contact hears answers")
        self.assertIn(self.rep_colleague.partner_id, request.message_partner_ids)
        assigned = self.env["mail.message"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("partner_ids", "in", self.rep_colleague.partner_id.ids),
            ]
        )
        self.assertEqual(len(assigned), 1, "the rep is told once the request is his")
        self.assertFalse(request.activity_ids, "a request with customer and rep waits for nobody")
        self.assertFalse(request.email_cc)
        message = request.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.author_id, self.contact_a)
        self.assertFalse(request.first_response_date, "the customer's e-mail is no response")

    def test_email_of_an_unknown_sender_waits_for_a_sales_manager(self):
        request = self._request(
            self._receive(
                "Sun Li <sun.li@nowhere.example.com>",
                "Where is my repaired phone?",
                body="I left it at your shop two weeks ago.",
            )
        )
        self.assertFalse(request.partner_id)
        self.assertFalse(request.contact_id)
        self.assertFalse(request.user_id)
        self.assertIn("sun.li@nowhere.example.com", request.email_cc, "answers reach the sender")
        suggested = request._message_get_suggested_recipients()
        self.assertTrue(
            [r for r in suggested if "sun.li@nowhere.example.com" in (r.get("email") or "")]
        )
        activity = request.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("sales_team.group_sale_manager"))
        self.assertIn(request.name, activity.summary)
        self.assertIn("sun.li@nowhere.example.com", activity.note)
        self.assertIn("set its customer", activity.note)
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "sun.li@nowhere.example.com")]),
            "an unknown sender makes no contact",
        )

    def test_email_of_a_sales_rep_does_not_make_the_company_the_customer(self):
        self.rep.partner_id.email = "spm.rep@ourcompany.example.com"
        request = self._request(
            self._receive(
                "spm.rep@ourcompany.example.com",
                "Forwarded: the customer's screen is cracked",
            )
        )
        self.assertFalse(request.partner_id)
        self.assertFalse(request.contact_id)
        self.assertEqual(len(request.activity_ids), 1)

    def test_email_of_a_customer_without_rep_asks_a_manager_to_assign_it(self):
        self.customer_a.user_id = False
        request = self._request(self._receive("li.wei@huatong.example.com", "Dead on arrival"))
        self.assertEqual(request.partner_id, self.customer_a)
        self.assertFalse(request.user_id)
        self.assertIn("has no sales rep", request.activity_ids.note)

    def test_email_of_a_customer_of_another_company_opens_its_request_there(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Other Co Customer",
                "is_company": True,
                "company_id": self.other_company.id,
                "user_id": self.other_rep.id,
                "child_ids": [
                    Command.create({"name": "Ma Lin", "email": "ma.lin@otherco.example.com"})
                ],
            }
        )
        request = self._request(
            self._receive("ma.lin@otherco.example.com", "Wrong colour delivered")
        )
        self.assertEqual(request.company_id, self.other_company)
        self.assertEqual(request.partner_id, customer)
        self.assertEqual(request.user_id, self.other_rep)

    def test_an_auto_replier_opens_no_more_requests_than_the_loop_threshold(self):
        self.env["ir.config_parameter"].sudo().set_param("mail.gateway.loop.threshold", 2)
        for subject in ("Out of office", "Out of office again", "Out of office once more"):
            self._receive("robot@nowhere.example.com", subject)
        self.assertEqual(
            self.env["spm.service.request"].search_count(
                [("email_cc", "ilike", "robot@nowhere.example.com")]
            ),
            2,
        )

    def test_copied_contacts_of_the_customer_follow_and_strangers_stay_in_cc(self):
        request = self._request(
            self._receive(
                "li.wei@huatong.example.com",
                "Two handsets to repair",
                cc="Zhou Min <zhou.min@huatong.example.com>, Outsider <x@elsewhere.example.com>",
            )
        )
        self.assertIn(self.colleague_a, request.message_partner_ids)
        self.assertIn("x@elsewhere.example.com", request.email_cc)
        self.assertFalse(
            request.message_partner_ids.filtered(
                lambda partner: partner.email == "x@elsewhere.example.com"
            )
        )

    def test_reply_by_email_lands_in_the_request_chatter(self):
        first_id = "<first-message@huatong.example.com>"
        request = self._request(
            self._receive("li.wei@huatong.example.com", "Noisy speaker", msg_id=first_id)
        )
        count = self.env["spm.service.request"].search_count([])
        thread_id = self._receive(
            "li.wei@huatong.example.com",
            "Re: Noisy speaker",
            body="A photo of the speaker is on its way.",
            cc="zhou.min@huatong.example.com",
            extra=f"In-Reply-To: {first_id}\nReferences: {first_id}\n",
        )
        self.assertEqual(thread_id, request.id)
        self.assertEqual(self.env["spm.service.request"].search_count([]), count)
        self.assertIn(
            "A photo of the speaker",
            "".join(request.message_ids.mapped("body")),
        )
        self.assertIn(self.colleague_a, request.message_partner_ids)
        self.assertFalse(request.first_response_date)

    def test_email_without_subject_opens_a_request_named_no_subject(self):
        request = self._request(self._receive("li.wei@huatong.example.com", ""))
        self.assertEqual(request.subject, "No Subject")
        self.assertEqual(request.partner_id, self.customer_a)

    def test_the_customers_rep_reads_the_request_by_email_and_another_rep_does_not(self):
        request = self._request(self._receive("li.wei@huatong.example.com", "Cracked case"))
        self.assertEqual(
            request.with_user(self.rep_colleague).search([("id", "=", request.id)]), request
        )
        self.assertFalse(request.with_user(self.rep).search([("id", "=", request.id)]))

    def test_suggested_recipient_is_the_contact_once_he_no_longer_follows(self):
        request = self._request(self._receive("li.wei@huatong.example.com", "Battery swelling"))
        request.message_unsubscribe(self.contact_a.ids)
        suggested = request._message_get_suggested_recipients()
        self.assertIn(self.contact_a.id, [r.get("partner_id") for r in suggested])
