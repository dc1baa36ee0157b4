from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAtmosphereConcurrency(TransactionCase):
    """The rep scores the same element of a visit on two devices at the same moment,
    each in its own transaction: one line is kept, the other device is told why, and
    the server log has no error."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrency Store", "is_company": True})
            visit = env["spm.visit"].create(
                {
                    "partner_id": partner.id,
                    "user_id": env.ref("base.user_admin").id,
                    "planned_start": fields.Datetime.now(),
                }
            )
            visit._spm_write_proof({"state": "in_progress", "check_in_time": fields.Datetime.now()})
            cr.commit()  # pylint: disable=invalid-commit
        self.partner_id, self.visit_id = partner.id, visit.id
        self.envs = [
            api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _ in range(2)
        ]
        self.addCleanup(self._clean_up)

    def _clean_up(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["spm.visit"].browse(self.visit_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_two_devices_score_one_element_once(self):
        env1, env2 = self.envs
        # device 2 starts before device 1 saves: it cannot see device 1's line
        env2.cr.execute("SELECT 1")
        env1["spm.visit.atmosphere.line"].create(
            {"visit_id": self.visit_id, "element": "music", "score": "4"}
        )
        env1.cr.commit()
        with (
            self.assertNoLogs("odoo", level="ERROR"),
            self.assertRaisesRegex(ValidationError, "has just been scored"),
        ):
            env2["spm.visit.atmosphere.line"].create(
                {"visit_id": self.visit_id, "element": "music", "score": "2"}
            )
        env2.cr.rollback()
        lines = env2["spm.visit.atmosphere.line"].search([("visit_id", "=", self.visit_id)])
        self.assertEqual(lines.mapped("score"), ["4"])
