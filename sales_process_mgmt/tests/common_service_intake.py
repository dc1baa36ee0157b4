"""The base of the tests of service requests by e-mail and on the portal: two
customers with their contacts (one of each a portal user), the after-sales alias on a
test domain, and a raw e-mail to it processed by the mail gateway."""

import uuid

from odoo.tests import new_test_user

from .common import SpmCommon

RAW_EMAIL = """From: {email_from}
To: {to}
Cc: {cc}
Subject: {subject}
Message-ID: {msg_id}
{extra}Date: Tue, 10 Mar 2026 02:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


class SpmServiceIntakeCommon(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Customer A: the dealer, followed by rep_colleague.
        cls.customer_a = cls.dealer
        cls.contact_a = Partner.create(
            {
                "name": "Li Wei",
                "email": "li.wei@huatong.example.com",
                "parent_id": cls.customer_a.id,
            }
        )
        cls.colleague_a = Partner.create(
            {
                "name": "Zhou Min",
                "email": "zhou.min@huatong.example.com",
                "parent_id": cls.customer_a.id,
            }
        )
        cls.customer_b = Partner.create(
            {"name": "Binhai Trading", "is_company": True, "user_id": cls.rep.id}
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="spm_portal_a",
            groups="base.group_portal",
            email="wang.fang@huatong.example.com",
            name="Wang Fang",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env,
            login="spm_portal_b",
            groups="base.group_portal",
            email="chen.jie@binhai.example.com",
            name="Chen Jie",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.alias = cls.env.ref("sales_process_mgmt.mail_alias_spm_service_request")
        if not cls.alias.alias_domain_id:
            cls.alias.alias_domain_id = cls.env["mail.alias.domain"].create(
                {"name": "spm-test.example.com"}
            )

    @classmethod
    def _service_request(cls, customer, subject, **values):
        return cls.env["spm.service.request"].create(
            {"partner_id": customer.id, "subject": subject, **values}
        )

    def _receive(self, email_from, subject, body="", *, cc="", to=None, msg_id=None, extra=""):
        """Process a raw e-mail to the after-sales alias (or ``to``) as the mail gateway
        does; returns the id of the thread it landed in."""
        raw = RAW_EMAIL.format(
            email_from=email_from,
            to=to or self.alias.alias_full_name,
            cc=cc,
            subject=subject,
            msg_id=msg_id or f"<{uuid.uuid4()}@spm-test.example.com>",
            extra=extra,
            body=body,
        )
        return self.env["mail.thread"].sudo().message_process(None, raw)
