from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestContactBook(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boss = cls.env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "parent_id": cls.dealer.id,
                "type": "contact",
                "function": "General Manager",
                "mobile": "13801234567",
                "spm_is_key_person": True,
                "spm_decision_role": "decision_maker",
                "spm_background": "MBA, plays golf",
            }
        )
        cls.clerk = cls.env["res.partner"].create(
            {"name": "Assistant Li", "parent_id": cls.dealer.id, "type": "contact"}
        )
        cls.warehouse = cls.env["res.partner"].create(
            {"name": "Warehouse", "parent_id": cls.dealer.id, "type": "delivery"}
        )

    def _render(self, partners, user):
        report = self.env.ref("sales_process_mgmt.spm_contact_book_report").with_user(user)
        html, _fmt = report._render_qweb_html(report.report_name, partners.ids)
        return html.decode()

    def test_contact_book_lists_key_people_first(self):
        html = self._render(self.dealer, self.rep)
        self.assertIn("Contact Book", html)
        self.assertIn("Huatong Electronics", html)
        self.assertIn("MBA, plays golf", html)
        self.assertIn("Decision Maker", html)
        self.assertLess(html.index("Zhang Wei"), html.index("Assistant Li"))
        self.assertNotIn("Warehouse", html, "addresses are not people")

    def test_contact_book_from_a_contact_prints_its_customer_once(self):
        html = self._render(self.boss | self.clerk, self.rep)
        self.assertEqual(html.count("Contact Book: "), 1)

    def test_contact_book_of_a_customer_without_contacts(self):
        lonely = self.env["res.partner"].create({"name": "Lonely Outlet", "is_company": True})
        html = self._render(lonely, self.rep)
        self.assertIn("No contacts recorded", html)

    def test_contact_book_action_lists_key_people(self):
        action = self.env.ref("sales_process_mgmt.spm_contact_book_action")
        contacts = self.env["res.partner"].search(
            [*safe_eval(action.domain), ("spm_is_key_person", "=", True)]
        )
        self.assertIn(self.boss, contacts)
        self.assertNotIn(self.clerk, contacts)
        self.assertNotIn(self.warehouse, contacts)
