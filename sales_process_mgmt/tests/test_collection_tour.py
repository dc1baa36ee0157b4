from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase, customer_invoice


@tagged("post_install", "-at_install")
class TestCollectionTour(SpmPhoneTourCase):
    def test_rep_records_a_promise_on_a_phone(self):
        rep = new_test_user(
            self.env, login="spm_coll_tour_rep", groups="sales_team.group_sale_salesman"
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        today = fields.Date.today()
        invoice = customer_invoice(self.env, customer, 800.0, today, user=rep, invoice_date=today)
        task = self.env["spm.collection.task"]._create_for_moves(invoice)
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_collection_task_action/{task.id}",
            "spm_collection_tour",
            login="spm_coll_tour_rep",
        )
        self.assertEqual(task.state, "promised")
        self.assertEqual(task.promise_ids.user_id, rep)
        self.assertEqual(task.promise_ids.amount, 800.0)
