"""The handover 防止带走客户: a rep's book of business moved to another rep in one step.

A sales manager chooses the leaving rep and the receiving one, and what goes: all, the
customers of some regions, of some customer classes, or hand-picked customers. The
preview counts each kind of record and lists the customers before anything moves. What
moves is the rep's open work on those customers: the customers themselves
(salesperson), the regions he is responsible for (with all or by region), open
opportunities, quotations not confirmed, planned visits, open collection tasks, POP
deployments at the outlets, open service requests, campaigns he runs (with all or by
region), his followers' subscriptions and his scheduled activities on all of these (a
task's carry its promises' follow-ups). What he has earned stays his: confirmed orders, invoices and
payments, orders waiting for discount approval, visits already checked in (proof),
done tasks and requests, finished campaigns.

Each kind is moved with one ``write`` (the addon's protected flow: a visit's rep, a task's
rep are protected fields), after the rows are locked: a visit the rep checks in at the
same moment either is checked in first and stays (the handover, retried by Odoo on the
serialization failure, leaves it) or moves while still planned and the check-in is
refused. A handover run twice moves nothing the second time. One log with a line per
record and field moved, a message on each customer, one summary activity for the
receiving rep.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..models.spm_collection_task import ACTIVE_STATES as TASK_OPEN_STATES
from ..models.spm_manager import is_sales_manager
from ..models.spm_protected_mixin import protected
from ..models.spm_service_request import OPEN_STATES as SERVICE_OPEN_STATES

SCOPES = [
    ("all", "Everything"),
    ("region", "Regions"),
    ("tier", "Customer Classes"),
    ("customers", "Selected Customers"),
]
# kind (labels: ``MOVED_KINDS``), model, the rep's field, the open work's domain, and the
# field naming the customer (moved with the customers handed over) or None (moved with
# the rep's territory: with all, or by region)
KINDS = [
    ("customers", "res.partner", "user_id", [], "id"),
    ("regions", "spm.region", "user_id", [], None),
    (
        "opportunities",
        "crm.lead",
        "user_id",
        [("active", "=", True), ("stage_id.is_won", "=", False)],
        "partner_id",
    ),
    (
        "quotations",
        "sale.order",
        "user_id",
        [("state", "in", ("draft", "sent"))],
        "partner_id",
    ),
    ("visits", "spm.visit", "user_id", [("state", "=", "planned")], "partner_id"),
    (
        "collection_tasks",
        "spm.collection.task",
        "user_id",
        [("state", "in", TASK_OPEN_STATES)],
        "partner_id",
    ),
    (
        "pop_deployments",
        "spm.pop.deployment",
        "user_id",
        [("state", "!=", "removed")],
        "partner_id",
    ),
    (
        "service_requests",
        "spm.service.request",
        "user_id",
        [("state", "in", SERVICE_OPEN_STATES)],
        "partner_id",
    ),
    (
        "campaigns",
        "spm.promotion.campaign",
        "user_id",
        [("state", "in", ("draft", "approved", "running"))],
        None,
    ),
]


class SpmHandoverWizard(models.TransientModel):
    _name = "spm.handover.wizard"
    _description = "Hand Over a Rep's Book of Business"
    _inherit = ["spm.input.mixin"]

    from_user_id = fields.Many2one(
        "res.users",
        string="From Rep",
        required=True,
        domain="[('share', '=', False)]",
        context={"active_test": False},
    )
    to_user_id = fields.Many2one(
        "res.users", string="To Rep", domain="[('share', '=', False), ('active', '=', True)]"
    )
    scope = fields.Selection(SCOPES, required=True, default="all")
    region_ids = fields.Many2many("spm.region", string="Regions")
    tiers = fields.Char(
        string="Customer Classes", help="Customer classes handed over, e.g. A,B (comma-separated)."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('user_id', '=', from_user_id)]",
    )
    reason = fields.Text(required=True, default=lambda self: self.env._("Rep leaving"))
    archive_after = fields.Boolean(
        string="Archive the Rep Afterwards",
        default=lambda self: bool(self.env.context.get("spm_archive")),
        help="Archive the leaving rep's user once the handover is done (needs the right "
        "to manage users).",
    )
    preview_partner_ids = fields.Many2many(
        "res.partner", string="Customers Concerned", compute="_compute_preview"
    )
    preview_html = fields.Html(string="Preview", compute="_compute_preview", sanitize=False)
    preview_total = fields.Integer(string="Records to Move", compute="_compute_preview")

    @api.depends("from_user_id", "scope", "region_ids", "tiers", "partner_ids")
    def _compute_preview(self):
        manager = is_sales_manager(self.env)
        for wizard in self:
            found = wizard._spm_collect() if wizard.from_user_id and manager else {}
            wizard.preview_partner_ids = found.get("customers", self.env["res.partner"])
            wizard.preview_total = sum(len(records) for records in found.values())
            labels = self._spm_kind_labels()
            wizard.preview_html = self.env["ir.qweb"]._render(
                "sales_process_mgmt.spm_handover_preview",
                {"rows": [(labels[kind], len(found.get(kind, ()))) for kind, *_rest in KINDS]},
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.users" and self.env.context.get(
            "active_id"
        ):
            values.setdefault("from_user_id", self.env.context["active_id"])
        return values

    # What moves ------------------------------------------------------------------------

    def _spm_tiers(self):
        return [tier.strip().upper() for tier in (self.tiers or "").split(",") if tier.strip()]

    def _spm_customer_domain(self):
        domain = [("user_id", "=", self.from_user_id.id)]
        if self.scope == "region":
            return [*domain, ("spm_region_id", "child_of", self.region_ids.ids)]
        if self.scope == "tier":
            return [*domain, ("spm_tier", "in", self._spm_tiers())]
        if self.scope == "customers":
            return [*domain, ("id", "in", self.partner_ids.ids)]
        return domain

    def _spm_collect(self):
        """``{kind: records}`` the handover moves, read as the superuser (the manager
        hands over all of the rep's work, in every company the rep works in)."""
        self.ensure_one()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        Partner = env["res.partner"]
        chosen = Partner.search(self._spm_customer_domain(), order="id")
        # their contacts follow them
        customers = chosen | Partner.search(
            [
                ("user_id", "=", self.from_user_id.id),
                ("commercial_partner_id", "in", chosen.commercial_partner_id.ids),
            ],
            order="id",
        )
        found = {"customers": customers}
        scope_partners = customers | Partner.search(
            [("commercial_partner_id", "in", customers.commercial_partner_id.ids)]
        )
        for kind, model, fname, open_domain, partner_field in KINDS[1:]:
            if model not in env:
                continue
            domain = [(fname, "=", self.from_user_id.id), *open_domain]
            if partner_field and self.scope != "all":
                domain.append((partner_field, "in", scope_partners.ids))
            elif not partner_field:
                if self.scope in ("tier", "customers"):
                    continue
                if self.scope == "region":
                    region_field = "id" if model == "spm.region" else "region_ids"
                    domain.append((region_field, "child_of", self.region_ids.ids))
            found[kind] = env[model].search(domain, order="id")
        return found

    # Checks ----------------------------------------------------------------------------

    def _spm_check(self):
        if not is_sales_manager(self.env):
            raise AccessError(self.env._("Only a sales manager hands a rep's customers over."))
        if not self.to_user_id:
            raise UserError(self.env._("Choose the rep who takes the customers over."))
        if self.from_user_id == self.to_user_id:
            raise UserError(
                self.env._(
                    "%(rep)s cannot hand his customers over to himself: choose another rep.",
                    rep=self.from_user_id.name,
                )
            )
        if not self.to_user_id.active or self.to_user_id.share:
            raise UserError(
                self.env._(
                    "%(rep)s is not an active internal user: hand the customers over to a "
                    "rep who works here.",
                    rep=self.to_user_id.name,
                )
            )
        if self.scope == "region" and not self.region_ids:
            raise UserError(self.env._("Choose the regions handed over."))
        if self.scope == "tier" and not self._spm_tiers():
            raise UserError(self.env._("Name the customer classes handed over, e.g. A,B."))
        if self.scope == "customers" and not self.partner_ids:
            raise UserError(self.env._("Choose the customers handed over."))

    def _spm_check_companies(self, found):
        companies = self.env["res.company"]
        for records in found.values():
            if "company_id" in records._fields:
                companies |= records.company_id
        missing = companies - self.to_user_id.company_ids
        if missing:
            raise UserError(
                self.env._(
                    "%(rep)s has no access to %(companies)s, where some of the records "
                    "handed over belong: give the rep that company first.",
                    rep=self.to_user_id.name,
                    companies=", ".join(missing.mapped("name")),
                )
            )

    # The move --------------------------------------------------------------------------

    def action_hand_over(self):
        self.ensure_one()
        self._spm_check()
        found = self._spm_collect()
        self._spm_lock(found)
        found = self._spm_collect()  # as locked: a visit checked in meanwhile stays
        if not any(found.values()):
            raise UserError(
                self.env._(
                    "%(rep)s has no open work left to hand over in this selection.",
                    rep=self.from_user_id.name,
                )
            )
        self._spm_check_companies(found)
        log = self._spm_move(found)
        if self.archive_after:
            protected(self.from_user_id).action_archive()
        return {
            "type": "ir.actions.act_window",
            "res_model": "spm.handover.log",
            "res_id": log.id,
            "view_mode": "form",
        }

    def action_archive_without_handover(self):
        """The manager's explicit choice: archive the rep and leave his open work where
        it is, logged with what was left."""
        self.ensure_one()
        if not is_sales_manager(self.env):
            raise AccessError(self.env._("Only a sales manager hands a rep's customers over."))
        work = self._spm_collect()
        labels = self._spm_kind_labels()
        self.env["spm.handover.log"].sudo()._spm_protected().create(
            {
                "kind": "archive_without_handover",
                "user_id": self.env.uid,
                "from_user_id": self.from_user_id.id,
                "company_id": self.env.company.id,
                "reason": self.reason,
                "scope": ", ".join(
                    f"{labels[kind]}: {len(records)}" for kind, records in work.items() if records
                ),
                "partner_count": len(work["customers"]),
            }
        )
        protected(self.from_user_id).action_archive()
        return {"type": "ir.actions.act_window_close"}

    def _spm_lock(self, found):
        """Lock the rows to move, as ``account`` locks partners: a concurrent change (a
        check-in) waits or makes this transaction fail, never half a handover."""
        self.env.flush_all()
        for records in found.values():
            if records:
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                        SQL.identifier(records._table),
                        records.ids,
                    )
                )
        self.env.invalidate_all()

    def _spm_move(self, found):
        env = self.env(su=True)
        source, target = self.from_user_id, self.to_user_id
        old_name, new_name = source.name, target.name
        lines = []
        names = {}
        for kind, model, fname, _domain, _partner_field in KINDS:
            records = found.get(kind)
            if not records:
                continue
            for record in records:
                names[model, record.id] = record.display_name
                lines.append(
                    {
                        "kind": kind,
                        "res_model": model,
                        "res_id": record.id,
                        "res_name": names[model, record.id],
                        "field_name": fname,
                        "old_value": old_name,
                        "new_value": new_name,
                    }
                )
            self._spm_reassign(records, fname)
        moved = [records for records in found.values() if records]
        self._spm_move_followers(moved, names, lines)
        self._spm_move_activities(moved, names, lines)
        customers = found.get("customers", env["res.partner"])
        audit = env["spm.handover.log"]._spm_protected()  # append-only, see spm_handover_log.py
        log = audit.create(
            {
                "user_id": self.env.uid,
                "from_user_id": source.id,
                "to_user_id": target.id,
                "company_id": self.env.company.id,
                "reason": self.reason,
                "scope": self._spm_scope_text(),
                "partner_count": len(customers),
            }
        )
        for line in lines:
            line["log_id"] = log.id
        audit.env["spm.handover.log.line"].create(lines)
        if customers:
            body = self.env._(
                "Handed over from %(from_rep)s to %(to_rep)s: %(reason)s",
                from_rep=old_name,
                to_rep=new_name,
                reason=self.reason,
            )
            customers._message_log_batch(bodies=dict.fromkeys(customers.ids, body))
        labels = self._spm_kind_labels()
        counts = ", ".join(
            f"{labels[kind]}: {len(records)}" for kind, records in found.items() if records
        )
        log.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=target.id,
            summary=self.env._("Customers handed over by %(rep)s", rep=old_name),
            note=self.env._(
                "%(reason)s. Now yours: %(counts)s.", reason=self.reason, counts=counts
            ),
        )
        return log

    def _spm_reassign(self, records, fname):
        """Write the receiving rep on ``records``, one company (and lead type) at a time:
        what core derives from the rep record by record (an opportunity's team, a
        quotation's warehouse: a search each) is computed once, by core's own compute
        on a new record of that company, and written with the rep."""
        target = self.to_user_id
        records = protected(records.with_context(tracking_disable=True))
        if records._name not in ("crm.lead", "sale.order"):
            records.write({fname: target.id})
            return
        is_lead = records._name == "crm.lead"
        groups = records.grouped(
            lambda record: (record.company_id, record.type if is_lead else "draft")
        )
        for (company, kind), group in groups.items():
            probe = group.new(
                {
                    fname: target.id,
                    "company_id": company.id,
                    **({"type": kind} if is_lead else {"state": kind}),
                }
            )
            if not is_lead:
                group.write({fname: target.id, "warehouse_id": probe.warehouse_id.id})
                continue
            # core keeps a lead's team when the new rep is in it
            kept = group.filtered(
                lambda lead: target in (lead.team_id.member_ids | lead.team_id.user_id)
            )
            kept.write({fname: target.id})
            (group - kept).write({fname: target.id, "team_id": probe.team_id.id})

    def _spm_move_followers(self, moved, names, lines):
        """The leaving rep's subscriptions become the receiving rep's, with the same
        subtypes, on every record moved."""
        Followers = self.env["mail.followers"].sudo()
        old_partner, new_partner = self.from_user_id.partner_id, self.to_user_id.partner_id
        for records in moved:
            followers = Followers.search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("partner_id", "=", old_partner.id),
                ]
            )
            if not followers:
                continue
            already = set(
                Followers.search(
                    [
                        ("res_model", "=", records._name),
                        ("res_id", "in", followers.mapped("res_id")),
                        ("partner_id", "=", new_partner.id),
                    ]
                ).mapped("res_id")
            )
            subtypes = defaultdict(list)
            for follower in followers:
                if follower.res_id not in already:
                    subtypes[tuple(follower.subtype_ids.ids)].append(follower.res_id)
            for subtype_ids, res_ids in subtypes.items():
                records.browse(res_ids).sudo().message_subscribe(
                    partner_ids=new_partner.ids, subtype_ids=list(subtype_ids)
                )
            lines += [
                {
                    "kind": "followers",
                    "res_model": follower.res_model,
                    "res_id": follower.res_id,
                    "res_name": names[follower.res_model, follower.res_id],
                    "field_name": "message_follower_ids",
                    "old_value": old_partner.name,
                    "new_value": new_partner.name,
                }
                for follower in followers
            ]
            followers.unlink()

    def _spm_move_activities(self, moved, names, lines):
        """The leaving rep's scheduled activities on the records moved (a task's carry
        its promises' follow-ups) become the receiving rep's."""
        Activity = self.env["mail.activity"].sudo()
        activities = Activity.union(
            *(
                Activity.search(
                    [
                        ("user_id", "=", self.from_user_id.id),
                        ("res_model", "=", records._name),
                        ("res_id", "in", records.ids),
                    ]
                )
                for records in moved
            )
        )
        lines += [
            {
                "kind": "activities",
                "res_model": "mail.activity",
                "res_id": activity.id,
                "res_name": f"{names[activity.res_model, activity.res_id]}: "
                f"{activity.summary or activity.activity_type_id.name}",
                "field_name": "user_id",
                "old_value": self.from_user_id.name,
                "new_value": self.to_user_id.name,
            }
            for activity in activities
        ]
        # one summary activity tells the receiving rep, not a mail per activity
        activities.with_context(mail_activity_quick_update=True).write(
            {"user_id": self.to_user_id.id}
        )

    def _spm_kind_labels(self):
        """``{kind: label}`` in the user's language."""
        return dict(
            self.env["spm.handover.log.line"]._fields["kind"]._description_selection(self.env)
        )

    def _spm_scope_text(self):
        labels = dict(self._fields["scope"]._description_selection(self.env))
        detail = {
            "region": ", ".join(self.region_ids.mapped("complete_name")),
            "tier": ", ".join(self._spm_tiers()),
            "customers": ", ".join(self.partner_ids.mapped("name")),
        }.get(self.scope)
        return f"{labels[self.scope]}: {detail}" if detail else labels[self.scope]
