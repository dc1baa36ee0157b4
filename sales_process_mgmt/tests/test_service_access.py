from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_service import SpmServiceCommon


@tagged("post_install", "-at_install")
class TestServiceAccess(SpmServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Request = cls.env["spm.service.request"]
        cls.own = Request.create({"subject": "Own", "partner_id": cls.customer.id})
        # the rep's customer, handled by the colleague: the rep reads it
        cls.customers_by_colleague = Request.create(
            {
                "subject": "By colleague",
                "partner_id": cls.customer.id,
                "user_id": cls.rep_colleague.id,
            }
        )
        cls.colleagues = Request.create({"subject": "Colleague's", "partner_id": cls.dealer.id})
        cls.other_companys = Request.with_company(cls.other_company).create(
            {"subject": "Other company", "partner_id": cls.other_customer.id}
        )
        cls.all_requests = (
            cls.own | cls.customers_by_colleague | cls.colleagues | cls.other_companys
        )

    def _visible(self, user):
        return (
            self.env["spm.service.request"]
            .with_user(user)
            .search([("id", "in", self.all_requests.ids)])
        )

    def test_rep_sees_his_requests_and_those_of_his_customers(self):
        self.assertEqual(self.own.user_id, self.rep)
        self.assertEqual(self.colleagues.user_id, self.rep_colleague)
        self.assertEqual(self._visible(self.rep), self.own | self.customers_by_colleague)

    def test_rep_cannot_read_another_reps_customers_requests(self):
        with self.assertRaises(AccessError):
            self.colleagues.with_user(self.rep).read(["subject"])
        self.assertEqual(
            self._visible(self.rep_colleague), self.customers_by_colleague | self.colleagues
        )

    def test_rep_edits_his_own_request_only(self):
        self.own.with_user(self.rep).write({"subject": "Own, edited", "priority": "2"})
        self.assertEqual(self.own.subject, "Own, edited")
        with self.assertRaises(AccessError):
            self.customers_by_colleague.with_user(self.rep).write({"priority": "2"})

    def test_rep_cannot_delete_a_request(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.rep).unlink()

    def test_rep_opens_a_request_for_his_customer(self):
        request = (
            self.env["spm.service.request"]
            .with_user(self.rep)
            .create(
                {
                    "subject": "Tablet cracked",
                    "partner_id": self.customer.id,
                    "request_type": "return",
                }
            )
        )
        self.assertEqual(request.user_id, self.rep)
        self.assertEqual(request.team_id, self.team)

    def test_rep_cannot_open_a_request_for_a_colleague(self):
        Request = self.env["spm.service.request"].with_user(self.rep)
        with self.assertRaises(AccessError):
            Request.create({"subject": "Not mine", "partner_id": self.dealer.id})
        with self.assertRaises(AccessError):
            Request.create(
                {
                    "subject": "Not mine",
                    "partner_id": self.customer.id,
                    "user_id": self.rep_colleague.id,
                }
            )

    def test_rep_reassigning_a_colleagues_request_is_refused(self):
        with self.assertRaisesRegex(UserError, "only a sales manager can reassign"):
            self.customers_by_colleague.with_user(self.rep).write({"user_id": self.rep.id})
        self.assertEqual(self.customers_by_colleague.user_id, self.rep_colleague)

    def test_rep_hands_his_request_to_a_colleague(self):
        self.own.with_user(self.rep).write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.own.user_id, self.rep_colleague)
        self.assertEqual(self.own.team_id, self.team)

    def test_manager_sees_and_reassigns_all_of_his_company(self):
        self.assertEqual(self._visible(self.manager), self.all_requests - self.other_companys)
        self.colleagues.with_user(self.manager).write({"user_id": self.rep.id})
        self.assertEqual(self.colleagues.user_id, self.rep)

    def test_team_leader_reads_all_and_edits_his_own(self):
        leader = self._new_user(
            "spm_service_leader", "sales_team.group_sale_salesman_all_leads", self.company
        )
        self.assertEqual(self._visible(leader), self.all_requests - self.other_companys)
        with self.assertRaises(AccessError):
            self.own.with_user(leader).write({"priority": "2"})

    def test_rep_of_another_company_sees_only_his_companys(self):
        self.assertEqual(self._visible(self.other_rep), self.other_companys)
        with self.assertRaises(AccessError):
            self.own.with_user(self.other_rep).read(["subject"])

    def test_rep_reads_the_slas_and_only_managers_change_them(self):
        self.assertEqual(self.sla_normal.with_user(self.rep).response_hours, 4)
        with self.assertRaises(AccessError):
            self.sla_normal.with_user(self.rep).write({"response_hours": 40})
        with self.assertRaises(AccessError):
            self.env["spm.service.sla"].with_user(self.rep).create(
                {"priority": "2", "response_hours": 1, "resolution_hours": 2}
            )
        self.sla_normal.with_user(self.manager).write({"response_hours": 3})
        self.assertFalse(
            self.env["spm.service.sla"]
            .with_user(self.other_rep)
            .search([("id", "=", self.sla_normal.id)])
        )

    def test_rep_moves_his_request_but_not_one_he_only_reads(self):
        self.own.with_user(self.rep).action_start()
        self.assertEqual(self.own.state, "in_progress")
        with self.assertRaises(AccessError):
            self.customers_by_colleague.with_user(self.rep).action_start()

    def test_rep_reopens_his_closed_request(self):
        self.own.write({"resolution": "<p>Fixed.</p>"})
        self.own.action_resolve()
        self.own.action_close()
        wizard = (
            self.env["spm.service.reopen.wizard"]
            .with_user(self.rep)
            .create({"request_id": self.own.id, "reason": "Broken again"})
        )
        wizard.action_confirm()
        self.assertEqual(self.own.state, "in_progress")

    def test_customer_count_is_what_the_rep_may_read(self):
        self.assertEqual(self.customer.with_user(self.rep).spm_service_request_count, 2)
        self.assertEqual(self.dealer.with_user(self.rep).spm_service_request_count, 0)
        self.dealer.invalidate_recordset(["spm_service_request_count"])
        self.assertEqual(self.dealer.with_user(self.manager).spm_service_request_count, 1)
