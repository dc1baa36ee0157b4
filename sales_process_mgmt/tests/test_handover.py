from contextlib import contextmanager

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, tagged

from .common_handover import SpmHandoverCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestHandover(SpmHandoverCommon):
    """防止带走客户: a leaving rep's book of business handed over in one step, previewed
    and logged; what he earned stays his."""

    @contextmanager
    def _refused(self, exception, message):
        with self.assertRaisesRegex(exception, message), self.cr.savepoint():
            yield

    def _moved(self):
        return {
            "customers": self.customer | self.contact | self.outlet,
            "regions": self.region_js,
            "opportunities": self.lead | self.outlet_lead,
            "quotations": self.quotation,
            "visits": self.planned | self.outlet_visit,
            "collection_tasks": self.task,
            "pop_deployments": self.deployment,
            "service_requests": self.request,
            "campaigns": self.campaign,
        }

    # The preview -----------------------------------------------------------------------
    def test_preview_counts_each_kind_before_anything_moves(self):
        wizard = self._wizard()
        self.assertEqual(wizard.preview_partner_ids, self.customer | self.contact | self.outlet)
        self.assertEqual(wizard.preview_total, 13)
        for label in ("Customers", "Planned Visits", "Open Collection Tasks", "Campaigns"):
            self.assertIn(label, str(wizard.preview_html))
        self.assertEqual(self.lead.user_id, self.rep, "the preview moves nothing")
        self.assertFalse(
            self.env["spm.handover.log"].sudo().search([("from_user_id", "=", self.rep.id)])
        )

    def test_preview_follows_the_scope_in_the_form(self):
        form = Form(self.Wizard.with_user(self.manager))
        form.from_user_id = self.rep
        form.to_user_id = self.rep_colleague
        self.assertEqual(form.preview_total, 13)
        form.scope = "tier"
        form.tiers = "a"
        self.assertEqual(form.preview_total, 4)  # the outlet, its lead, visit, deployment
        self.assertIn(self.outlet, form.preview_partner_ids)

    # Everything ------------------------------------------------------------------------
    def test_hand_over_everything_moves_each_kind_of_open_work(self):
        action = self._wizard().action_hand_over()
        for kind, records in self._moved().items():
            with self.subTest(kind=kind):
                self.assertEqual(set(records.mapped("user_id")), {self.rep_colleague})
        log = self.env["spm.handover.log"].browse(action["res_id"])
        self.assertRecordValues(
            log,
            [
                {
                    "kind": "handover",
                    "user_id": self.manager.id,
                    "from_user_id": self.rep.id,
                    "to_user_id": self.rep_colleague.id,
                    "reason": "Leaves the company",
                    "partner_count": 3,
                }
            ],
        )
        lines = log.line_ids
        moved = {(line.res_model, line.res_id) for line in lines if line.field_name == "user_id"}
        for records in self._moved().values():
            for record in records:
                self.assertIn((record._name, record.id), moved)
        line = lines.filtered(
            lambda line: (
                line.res_model == "spm.visit"
                and line.res_id == self.planned.id
                and line.field_name == "user_id"
            )
        )
        self.assertRecordValues(
            line,
            [{"kind": "visits", "old_value": self.rep.name, "new_value": self.rep_colleague.name}],
        )

    def test_what_was_earned_stays_with_the_rep(self):
        self._wizard().action_hand_over()
        for record in (self.won_lead, self.confirmed, self.waiting, self.checked_in):
            with self.subTest(record=record):
                self.assertEqual(record.user_id, self.rep)
        self.assertEqual(self.move.invoice_user_id, self.rep)
        self.assertEqual(
            self.promise.sudo().user_id, self.rep, "who took the promise stays on record"
        )

    def test_followers_and_scheduled_activities_move(self):
        self._wizard().action_hand_over()
        self.assertNotIn(self.rep.partner_id, self.customer.message_partner_ids)
        self.assertIn(self.rep_colleague.partner_id, self.customer.message_partner_ids)
        self.assertNotIn(self.rep.partner_id, self.lead.message_partner_ids)
        for activity in (self.lead_call, self.visit_todo, self.promise_call):
            self.assertEqual(activity.user_id, self.rep_colleague)

    def test_each_customer_is_told_and_the_receiver_gets_one_summary_activity(self):
        log = self.env["spm.handover.log"].browse(self._wizard().action_hand_over()["res_id"])
        for customer in (self.customer, self.outlet):
            self.assertIn("Leaves the company", str(customer.message_ids[0].body))
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [("user_id", "=", self.rep_colleague.id), ("res_model", "=", "spm.handover.log")]
            )
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.res_id, log.id)
        self.assertIn("Customers: 3", str(activities.note))
        # the receiver opens the handover he was given
        self.assertEqual(
            log.with_user(self.rep_colleague).read(["partner_count"])[0]["partner_count"], 3
        )

    def test_a_second_run_moves_nothing(self):
        self._wizard().action_hand_over()
        Log, Line = self.env["spm.handover.log"].sudo(), self.env["spm.handover.log.line"].sudo()
        logs, lines = Log.search_count([]), Line.search_count([])
        with self._refused(UserError, "no open work left"):
            self._wizard().action_hand_over()
        self.assertEqual(Log.search_count([]), logs)
        self.assertEqual(Line.search_count([]), lines)

    # Partial handovers -----------------------------------------------------------------
    def test_by_region_moves_the_regions_customers_their_work_and_campaigns(self):
        self._wizard(
            scope="region", region_ids=[Command.set(self.region_js.ids)]
        ).action_hand_over()
        for record in (
            self.customer,
            self.contact,
            self.lead,
            self.planned,
            self.task,
            self.request,
        ):
            self.assertEqual(record.user_id, self.rep_colleague)
        self.assertEqual(self.region_js.user_id, self.rep_colleague)
        self.assertEqual(self.campaign.user_id, self.rep_colleague)
        for record in (self.outlet, self.outlet_lead, self.outlet_visit, self.deployment):
            self.assertEqual(record.user_id, self.rep, "Shanghai stays")

    def test_by_customer_class(self):
        self._wizard(scope="tier", tiers="A").action_hand_over()
        self.assertEqual(self.outlet.user_id, self.rep_colleague)
        self.assertEqual(self.deployment.user_id, self.rep_colleague)
        self.assertEqual(self.customer.user_id, self.rep)
        self.assertEqual(self.region_js.user_id, self.rep, "the rep's region is not a class")
        self.assertEqual(self.campaign.user_id, self.rep)

    def test_hand_picked_customers_with_their_contacts(self):
        self._wizard(
            scope="customers", partner_ids=[Command.set(self.customer.ids)]
        ).action_hand_over()
        self.assertEqual(self.customer.user_id, self.rep_colleague)
        self.assertEqual(self.lead.user_id, self.rep_colleague)
        self.assertEqual(self.task.user_id, self.rep_colleague)
        self.assertEqual(self.contact.user_id, self.rep_colleague, "its contacts follow it")
        self.assertEqual(self.outlet.user_id, self.rep)

    # Refusals --------------------------------------------------------------------------
    def test_same_rep_inactive_or_external_target_is_refused(self):
        with self._refused(UserError, "to himself"):
            self._wizard(to_user_id=self.rep.id).action_hand_over()
        gone = self._new_user("spm_gone_rep", "sales_team.group_sale_salesman", self.company)
        gone.action_archive()
        with self._refused(UserError, "not an active internal user"):
            self._wizard(to_user_id=gone.id).action_hand_over()

    def test_target_without_the_companys_access_is_refused(self):
        with self._refused(UserError, "has no access to"):
            self._wizard(to_user_id=self.other_rep.id).action_hand_over()
        self.assertEqual(self.customer.user_id, self.rep)

    def test_scope_without_its_choice_is_refused(self):
        with self._refused(UserError, "Choose the regions"):
            self._wizard(scope="region").action_hand_over()
        with self._refused(UserError, "customer classes"):
            self._wizard(scope="tier").action_hand_over()
        with self._refused(UserError, "Choose the customers"):
            self._wizard(scope="customers").action_hand_over()

    def test_a_rep_cannot_hand_over(self):
        with self._refused(AccessError, ""):
            self._wizard(user=self.rep)
        with self._refused(AccessError, "Only a sales manager"):
            self._wizard().with_user(self.rep).action_hand_over()
        self.assertEqual(self.customer.user_id, self.rep)

    def test_nobody_edits_or_deletes_a_log(self):
        log = self.env["spm.handover.log"].browse(self._wizard().action_hand_over()["res_id"])
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        for user in (self.manager, admin):
            with self.subTest(user=user.login):
                as_user = log.with_user(user).with_context(allowed_company_ids=self.company.ids)
                with self._refused(AccessError, "audit record"):
                    as_user.write({"reason": "Nothing happened"})
                with self._refused(AccessError, "not allowed to delete"):
                    as_user.unlink()
                with self._refused(AccessError, "audit record"):
                    as_user.line_ids[:1].write({"new_value": "Nobody"})
                with self._refused(AccessError, "not allowed to delete"):
                    as_user.line_ids[:1].unlink()
        with self._refused(AccessError, "audit record"):
            log.sudo().write({"reason": "Nothing happened"})
        with self._refused(AccessError, "audit record"):
            log.line_ids.sudo().unlink()
        with self._refused(AccessError, "audit record"):
            log.sudo().unlink()
        with self._refused(AccessError, ""):
            self.env["spm.handover.log"].with_user(self.manager).create(
                {
                    "from_user_id": self.rep.id,
                    "user_id": self.manager.id,
                    "reason": "fake",
                    "company_id": self.company.id,
                }
            )

    def test_a_rep_reads_no_log_but_those_handed_to_him(self):
        log = self.env["spm.handover.log"].browse(self._wizard().action_hand_over()["res_id"])
        Log = self.env["spm.handover.log"]
        self.assertFalse(Log.with_user(self.rep).search([("id", "=", log.id)]))
        self.assertEqual(Log.with_user(self.rep_colleague).search([("id", "=", log.id)]), log)
        self.assertEqual(Log.with_user(self.manager).search([("id", "=", log.id)]), log)

    # Archiving the rep -----------------------------------------------------------------
    def test_archiving_a_rep_with_open_work_asks_for_a_handover(self):
        with self._refused(RedirectWarning, "still owns open work"):
            self.rep.write({"active": False})
        with self._refused(RedirectWarning, "still owns open work"):
            self.rep.with_context(spm_protected_write=True).action_archive()
        self.assertTrue(self.rep.active)

    def test_handover_then_archive(self):
        self._wizard(archive_after=True).with_user(
            self.env.ref("base.user_admin")
        ).action_hand_over()
        self.assertFalse(self.rep.active)
        self.assertEqual(self.customer.user_id, self.rep_colleague)

    def test_archive_without_handover_is_the_managers_logged_choice(self):
        wizard = self._wizard(archive_after=True).with_user(self.env.ref("base.user_admin"))
        wizard.reason = "Dismissed; the territory is closed"
        wizard.action_archive_without_handover()
        self.assertFalse(self.rep.active)
        self.assertEqual(self.customer.user_id, self.rep, "nothing moved")
        log = self.env["spm.handover.log"].sudo().search([("from_user_id", "=", self.rep.id)])
        self.assertRecordValues(
            log,
            [{"kind": "archive_without_handover", "reason": "Dismissed; the territory is closed"}],
        )
        self.assertIn("Customers: 3", log.scope)

    def test_a_rep_without_open_work_is_archived_as_usual(self):
        idle = self._new_user("spm_idle_rep", "sales_team.group_sale_salesman", self.company)
        idle.action_archive()
        self.assertFalse(idle.active)

    # The book of business and the team ------------------------------------------------
    def test_book_of_business_on_the_user(self):
        self.assertEqual(self.rep.spm_book_count, 3)
        action = self.rep.action_spm_open_book()
        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search(action["domain"]),
            self.customer | self.contact | self.outlet,
        )
        self.assertEqual(
            self.rep.action_spm_hand_over()["context"]["default_from_user_id"], self.rep.id
        )

    def test_team_leader_sees_the_teams_visits_and_tasks(self):
        leader = self._new_user("spm_plain_leader", "sales_team.group_sale_salesman", self.company)
        self.team.user_id = leader
        visits = self.env["spm.visit"].with_user(leader).search([("user_id", "=", self.rep.id)])
        self.assertEqual(visits, self.planned | self.outlet_visit | self.checked_in)
        tasks = (
            self.env["spm.collection.task"]
            .with_user(leader)
            .search([("user_id", "=", self.rep.id)])
        )
        self.assertEqual(tasks, self.task)
        with self._refused(AccessError, ""):
            self.planned.with_user(leader).write({"objective": "Not mine"})
        outsider = self._new_user("spm_outsider", "sales_team.group_sale_salesman", self.company)
        self.assertFalse(
            self.env["spm.collection.task"]
            .with_user(outsider)
            .search([("user_id", "=", self.rep.id)])
        )
