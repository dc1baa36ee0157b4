from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDiscountConcurrency(TransactionCase):
    """Two workers decide on the budget of the same rep at the same time, for orders of
    different teams (so possibly different policies): the second one must fail with a
    serialization error (and be retried by the server) instead of reading a stale
    budget. Commits only a no-op update of an existing user row."""

    def test_budget_decisions_for_one_rep_are_serialized(self):
        rep_id = self.env.ref("base.user_admin").id
        cr_a = self.registry.cursor()
        cr_b = self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            teams = env_a["crm.team"].search([], limit=2)
            team_a, team_b = teams[0], teams[-1]
            cr_b.execute("SELECT 1")  # B's snapshot is taken before A commits
            env_a["sale.order"].new(
                {"user_id": rep_id, "team_id": team_a.id}
            )._spm_lock_discount_budgets()
            cr_a.commit()
            order_b = env_b["sale.order"].new({"user_id": rep_id, "team_id": team_b.id})
            with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
                order_b._spm_lock_discount_budgets()
        finally:
            cr_a.close()
            cr_b.close()
