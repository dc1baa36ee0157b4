import psycopg2

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestHandoverConcurrency(TransactionCase):
    """A manager hands a rep's customers over while the rep checks in at one of them
    (two transactions): either the check-in comes first and that visit stays with its
    rep, or the visit moves while still planned and the check-in is refused with a clear
    message; never half a book moved."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            salesman = "sales_team.group_sale_salesman"
            rep = new_test_user(env, login="spm_race_rep", groups=salesman)
            colleague = new_test_user(env, login="spm_race_colleague", groups=salesman)
            partner = env["res.partner"].create(
                {"name": "Handover Race Outlet", "is_company": True, "user_id": rep.id}
            )
            visits = env["spm.visit"].create(
                [
                    {
                        "partner_id": partner.id,
                        "user_id": rep.id,
                        "planned_start": fields.Datetime.now(),
                    }
                    for _ in range(2)
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit
        self.rep_id, self.colleague_id = rep.id, colleague.id
        self.partner_id = partner.id
        self.visit_ids = visits.ids
        self.envs = [
            api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _ in range(2)
        ]
        self.addCleanup(self._clean_up)

    def _clean_up(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            users = (self.rep_id, self.colleague_id)
            # the log is append-only for the application; the test removes its own
            cr.execute("DELETE FROM spm_handover_log WHERE from_user_id IN %s", [users])
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.activity"].search([("user_id", "in", users)]).unlink()
            env["spm.visit"].browse(self.visit_ids).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env["res.users"].browse(users).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _hand_over(self, env):
        return (
            env["spm.handover.wizard"]
            .create(
                {
                    "from_user_id": self.rep_id,
                    "to_user_id": self.colleague_id,
                    "scope": "customers",
                    "partner_ids": [Command.set([self.partner_id])],
                    "reason": "Leaves",
                }
            )
            .action_hand_over()
        )

    def test_check_in_first_keeps_that_visit_with_its_rep(self):
        checking_in, handing_over = self.envs
        # the handover's transaction starts before the check-in commits
        handing_over.cr.execute("SELECT 1")
        checking_in(user=self.rep_id)["spm.visit"].browse(self.visit_ids[0]).action_check_in()
        checking_in.cr.commit()
        # the handover fails whole on the visit checked in meanwhile (Odoo retries such
        # a request in a new transaction) ...
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
            self._hand_over(handing_over)
        handing_over.cr.rollback()
        partner = handing_over["res.partner"].browse(self.partner_id)
        self.assertEqual(partner.user_id.id, self.rep_id, "nothing moved")
        # ... and its retry leaves the checked-in visit and moves the rest
        self._hand_over(handing_over)
        handing_over.cr.commit()
        first, second = handing_over["spm.visit"].browse(self.visit_ids)
        self.assertEqual((first.state, first.user_id.id), ("in_progress", self.rep_id))
        self.assertEqual(second.user_id.id, self.colleague_id)
        self.assertEqual(partner.user_id.id, self.colleague_id)

    def test_handover_first_refuses_the_check_in_clearly(self):
        checking_in, handing_over = self.envs
        # the rep's phone starts its transaction before the handover commits
        checking_in.cr.execute("SELECT 1")
        self._hand_over(handing_over)
        handing_over.cr.commit()
        rep_env = checking_in(user=self.rep_id)
        with (
            self.assertNoLogs("odoo", level="ERROR"),
            self.assertRaisesRegex(UserError, "reload My day"),
        ):
            rep_env["spm.visit"].browse(self.visit_ids[0]).action_check_in()
        checking_in.cr.rollback()
        # reloaded: the visit is the colleague's now
        with self.assertRaisesRegex(AccessError, "is spm_race_colleague.*'s; only that rep"):
            rep_env["spm.visit"].browse(self.visit_ids[0]).action_check_in()
        visits = checking_in["spm.visit"].browse(self.visit_ids)
        self.assertEqual(set(visits.mapped("state")), {"planned"})
        self.assertEqual(set(visits.mapped("user_id.id")), {self.colleague_id})
