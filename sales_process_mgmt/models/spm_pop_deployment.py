"""POP deployed at an outlet (POP宣传: "布置和维护").

A deployment is some pieces of one POP material at one outlet: planned, installed (a
photo proves it), inspected on the rep's visits (good / damaged / missing), needing
maintenance after a bad inspection, and removed at last — taken down, replaced or
written off. Its state, condition and next inspection follow its buttons and its
inspections only (protected fields); a deployment past its expected life, or found
missing, asks for replacement or write-off.
"""

from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from .spm_manager import is_sales_manager
from .spm_protected_mixin import NOBODY
from .spm_time import spm_today

POP_DEPLOYMENT_STATES = [
    ("planned", "Planned"),
    ("installed", "Installed"),
    ("needs_maintenance", "Needs Maintenance"),
    ("removed", "Removed"),
]
POP_CONDITIONS = [("good", "Good"), ("damaged", "Damaged"), ("missing", "Missing")]
# At the outlet: inspected on a schedule, replaced or written off.
POP_DEPLOYED_STATES = ("installed", "needs_maintenance")
# Set by the buttons, the inspections and the scheduled action only.
POP_PROTECTED_FIELDS = (
    "state",
    "cost",
    "last_inspection_date",
    "last_condition",
    "next_inspection_date",
    "inspection_notified_date",
    "expiry_date",
    "removed_on",
    "replacement_of_id",
)


class SpmPopDeployment(models.Model):
    _name = "spm.pop.deployment"
    _description = "POP Deployment"
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "partner_id, state, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Outlet",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    material_id = fields.Many2one(
        "spm.pop.material",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    material_type = fields.Selection(related="material_id.material_type", store=True)
    qty = fields.Integer(string="Quantity", required=True, default=1, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary(
        compute="_compute_cost",
        store=True,
        help="Unit cost of the material times the quantity, in the company's currency.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        required=True,
        index=True,
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('share', '=', False)]",
        help="The outlet's rep, who installs and inspects the POP; by default the "
        "outlet's salesperson.",
    )
    visit_id = fields.Many2one(
        "spm.visit",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The visit on which the POP was planned or installed.",
    )
    state = fields.Selection(
        POP_DEPLOYMENT_STATES,
        string="Status",
        required=True,
        default="planned",
        tracking=True,
        index=True,
        copy=False,
    )
    installed_on = fields.Date(tracking=True, copy=False)
    installed_by_id = fields.Many2one("res.users", copy=False, domain="[('share', '=', False)]")
    photo = fields.Image(string="Installation Photo", max_width=1920, max_height=1920, copy=False)
    note = fields.Text()
    inspection_ids = fields.One2many("spm.pop.inspection", "deployment_id", string="Inspections")
    inspection_count = fields.Integer(compute="_compute_inspection_count")
    last_inspection_date = fields.Date(
        string="Last Inspection", compute="_compute_last_inspection", store=True
    )
    last_condition = fields.Selection(
        POP_CONDITIONS, compute="_compute_last_inspection", store=True, tracking=True
    )
    next_inspection_date = fields.Date(
        string="Next Inspection",
        compute="_compute_next_inspection_date",
        store=True,
        index="btree_not_null",
        help="Last inspection (else installation) plus the material's inspection interval.",
    )
    inspection_notified_date = fields.Date(
        string="Inspection Due Notified For",
        readonly=True,
        copy=False,
        help="The next inspection date the rep was given a to-do for.",
    )
    expiry_date = fields.Date(
        string="End of Life",
        compute="_compute_expiry_date",
        store=True,
        help="Installation plus the material's expected life.",
    )
    replace_needed = fields.Boolean(
        string="Replace or Write Off",
        compute="_compute_replace_needed",
        search="_search_replace_needed",
        help="Past its expected life, or found missing: replace it or write it off.",
    )
    removed_on = fields.Date(readonly=True, copy=False)
    replacement_of_id = fields.Many2one(
        "spm.pop.deployment",
        string="Replaces",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    writeoff_ids = fields.One2many("spm.pop.writeoff", "deployment_id", string="Write-offs")

    def init(self):
        """The scheduled action reads the deployments whose inspection is due and not yet
        notified: an index of exactly those keeps each batch's search short."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS spm_pop_deployment_due_idx "
                "ON spm_pop_deployment (next_inspection_date, id) "
                "WHERE state IN ('installed', 'needs_maintenance') "
                "AND inspection_notified_date IS DISTINCT FROM next_inspection_date"
            )
        )
        return res

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("material_id.name", "qty", "partner_id.name")
    def _compute_display_name(self):
        for deployment in self:
            deployment.display_name = self.env._(
                "%(material)s × %(qty)s at %(outlet)s",  # noqa: RUF001 - the times sign
                material=deployment.material_id.name or "",
                qty=deployment.qty,
                outlet=deployment.partner_id.name or "",
            )

    @api.depends("material_id.unit_cost", "qty")
    def _compute_cost(self):
        for deployment in self:
            deployment.cost = deployment.material_id.unit_cost * deployment.qty

    @api.depends("partner_id")
    def _compute_user_id(self):
        for deployment in self:
            deployment.user_id = (
                deployment.partner_id.commercial_partner_id.user_id
                or deployment.user_id
                or self.env.user
            )

    def _compute_inspection_count(self):
        counts = dict(
            self.env["spm.pop.inspection"]._read_group(
                [("deployment_id", "in", self.ids)], ["deployment_id"], ["__count"]
            )
        )
        for deployment in self:
            deployment.inspection_count = counts.get(deployment._origin, 0)

    @api.depends("inspection_ids.date", "inspection_ids.condition")
    def _compute_last_inspection(self):
        for deployment in self:
            last = max(
                deployment.inspection_ids,
                key=lambda inspection: (inspection.date, inspection.id),
                default=None,
            )
            deployment.last_inspection_date = last.date if last else False
            deployment.last_condition = last.condition if last else False

    @api.depends(
        "state", "installed_on", "last_inspection_date", "material_id.inspection_interval_days"
    )
    def _compute_next_inspection_date(self):
        for deployment in self:
            interval = deployment.material_id.inspection_interval_days
            since = deployment.last_inspection_date or deployment.installed_on
            deployment.next_inspection_date = (
                since + timedelta(days=interval)
                if deployment.state in POP_DEPLOYED_STATES and interval > 0 and since
                else False
            )

    @api.depends("installed_on", "material_id.expected_life_days")
    def _compute_expiry_date(self):
        for deployment in self:
            life = deployment.material_id.expected_life_days
            deployment.expiry_date = (
                deployment.installed_on + timedelta(days=life)
                if deployment.installed_on and life > 0
                else False
            )

    def _spm_viewer_today(self):
        """The day of whoever looks at the flag: a deployment is past its life from the
        viewer's day on (the scheduled action's due inspections follow the outlet's)."""
        return spm_today(self.env.context.get("tz"), self.env.user, self.env.company)

    @api.depends("state", "last_condition", "expiry_date")
    @api.depends_context("tz", "uid")
    def _compute_replace_needed(self):
        today = self._spm_viewer_today()
        for deployment in self:
            deployment.replace_needed = deployment.state in POP_DEPLOYED_STATES and (
                deployment.last_condition == "missing"
                or bool(deployment.expiry_date and deployment.expiry_date < today)
            )

    def _search_replace_needed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Replace or Write Off can only be searched as set or not set.")
            )
        domain = [
            ("state", "in", POP_DEPLOYED_STATES),
            "|",
            ("last_condition", "=", "missing"),
            ("expiry_date", "<", self._spm_viewer_today()),
        ]
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    # ------------------------------------------------------------------
    # Protected fields and CRUD
    # ------------------------------------------------------------------

    def _spm_protected_fields(self):
        protected = dict.fromkeys(POP_PROTECTED_FIELDS, NOBODY)
        if any(deployment.state != "planned" for deployment in self):
            # what the inspections and the write-offs are about
            protected.update(partner_id=NOBODY, material_id=NOBODY)
        return protected

    def _spm_protected_hint(self):
        return self.env._(
            "Use the buttons Installed, Replace, Remove and Write Off; the inspections "
            "recorded on visits set the condition and the next inspection. A deployment "
            "that is no longer planned keeps its outlet and its material: remove it and "
            "plan a new one instead."
        )

    def _spm_commercial_outlets(self, vals_list):
        """POP is deployed at the outlet itself, not at one of its contacts."""
        ids = [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        partners = self.env["res.partner"].browse(ids)
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]

    @api.model_create_multi
    def create(self, vals_list):
        self._spm_commercial_outlets(vals_list)
        return super(SpmPopDeployment, self.browse()).create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            self._spm_commercial_outlets([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_inspected(self):
        kept = self.filtered(
            lambda deployment: deployment.inspection_ids or deployment.writeoff_ids
        )
        if kept:
            raise UserError(
                self.env._(
                    "%(deployment)s has inspections or a write-off: it stays in the "
                    "outlet's history. Remove it instead.",
                    deployment=kept[0].display_name,
                )
            )

    @api.constrains("qty")
    def _check_qty(self):
        for deployment in self:
            if deployment.qty <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(deployment)s must be at least 1 piece.",
                        deployment=deployment.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Helpers of the actions
    # ------------------------------------------------------------------

    def _spm_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _spm_outlet_today(self):
        """Today at the outlet: its own timezone, else its rep's, else its company's."""
        self.ensure_one()
        return spm_today(self.partner_id, self.user_id, self.company_id)

    def _spm_check_may_act(self, action):
        """The deployment's rep, the outlet's salesperson or a sales manager acts on it."""
        if is_sales_manager(self.env):
            return
        self.check_access("read")
        user = self.env.user
        others = self.filtered(
            lambda deployment: user not in (deployment.user_id | deployment.partner_id.user_id)
        )
        if others:
            raise AccessError(
                self.env._(
                    "%(action)s: %(deployment)s is not at one of your outlets. Ask its rep "
                    "%(rep)s or a sales manager.",
                    action=action,
                    deployment=others[0].display_name,
                    rep=others[0].user_id.name,
                )
            )

    def _spm_lock(self):
        """Lock these deployments for an action, as visits lock a rep's visits: an action
        racing another one on the same deployment (another device or user) waits for it
        and is then refused cleanly, instead of both being applied."""
        if not self:
            return
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM spm_pop_deployment WHERE id IN %s ORDER BY id "
                        "FOR NO KEY UPDATE",
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.DeadlockDetected,
        ) as error:
            raise UserError(
                self.env._(
                    "%(deployment)s has just been changed by someone else (an inspection, "
                    "a replacement or a write-off): reload it and try again.",
                    deployment=self[0].display_name,
                )
            ) from error

    def _spm_check_state(self, states, action):
        wrong = self.filtered(lambda deployment: deployment.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s: %(deployment)s is %(state)s, and this is done only on a "
                    "deployment that is %(states)s.",
                    action=action,
                    deployment=wrong[0].display_name,
                    state=wrong[0]._spm_state_label(),
                    states=" / ".join(labels[state] for state in states),
                )
            )

    def _spm_post(self, body):
        """A message in the deployment's chatter, by the user who acted."""
        for deployment in self:
            deployment.sudo().message_post(body=body, author_id=self.env.user.partner_id.id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_install(self):
        """Installed: the dialog that asks for the photo of the installed POP."""
        self.ensure_one()
        self._spm_check_may_act(self.env._("Installed"))
        self._spm_check_state(("planned",), self.env._("Installed"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("POP Installed"),
            "res_model": "spm.pop.install.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_deployment_id": self.id,
                "default_visit_id": self.env.context.get("spm_pop_visit_id") or self.visit_id.id,
            },
        }

    def _spm_install(self, photo, installed_on, visit=None):
        """Installed on ``installed_on`` (a date, not after the outlet's today), the
        ``photo`` (base64; else the one the deployment has) its proof."""
        self.ensure_one()
        action = self.env._("Installed")
        self._spm_check_may_act(action)
        self._spm_lock()
        self._spm_check_state(("planned",), action)
        photo = photo or self.photo
        if not photo:
            raise UserError(
                self.env._(
                    "A photo of the installed POP proves the installation of %(deployment)s: "
                    "take one.",
                    deployment=self.display_name,
                )
            )
        installed_on = fields.Date.to_date(installed_on)
        today = self._spm_outlet_today()
        if not installed_on or installed_on > today:
            raise UserError(
                self.env._(
                    "%(deployment)s cannot be installed on %(date)s: the installation date "
                    "is today (%(today)s) or a day before.",
                    deployment=self.display_name,
                    date=format_date(self.env, installed_on) if installed_on else "-",
                    today=format_date(self.env, today),
                )
            )
        self.sudo()._spm_protected().write(
            {
                "state": "installed",
                "photo": photo,
                "installed_on": installed_on,
                # a script or the demo (the superuser) installs for the rep
                "installed_by_id": (
                    self.user_id if self.env.user._is_superuser() else self.env.user
                ).id,
                "visit_id": (visit or self.visit_id).id,
            }
        )
        self._spm_post(
            self.env._(
                "Installed on %(date)s by %(user)s.",
                date=format_date(self.env, installed_on),
                user=self.installed_by_id.name,
            )
        )
        return True

    def action_remove(self):
        """Taken down (or, for a planned deployment, not put up after all)."""
        action = self.env._("Remove")
        self._spm_check_may_act(action)
        self._spm_lock()
        self._spm_check_state(("planned", *POP_DEPLOYED_STATES), action)
        self._spm_set_removed(self.env._("Removed by %(user)s.", user=self.env.user.name))
        return True

    def _spm_set_removed(self, body):
        for deployment in self:
            deployment.sudo()._spm_protected().write(
                {"state": "removed", "removed_on": deployment._spm_outlet_today()}
            )
        self._spm_post(body)

    def _spm_replacement_values(self):
        """What the replacement of this deployment is planned with."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "material_id": self.material_id.id,
            "qty": self.qty,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "visit_id": self.env.context.get("spm_pop_visit_id") or self.visit_id.id,
            "replacement_of_id": self.id,
        }

    def action_replace(self):
        """Removes this deployment and plans a new one of the same material and quantity
        at the same outlet; opens the new one."""
        action = self.env._("Replace")
        self._spm_check_may_act(action)
        self._spm_lock()
        self._spm_check_state(POP_DEPLOYED_STATES, action)
        replacements = self.browse()
        for deployment in self:
            replacement = (
                deployment.sudo()._spm_protected().create(deployment._spm_replacement_values())
            )
            deployment._spm_set_removed(
                self.env._(
                    "Replaced by %(user)s: %(replacement)s is planned.",
                    user=self.env.user.name,
                    replacement=replacement.display_name,
                )
            )
            replacement._spm_post(
                self.env._(
                    "Planned to replace the same POP installed on %(date)s.",
                    date=format_date(self.env, deployment.installed_on)
                    if deployment.installed_on
                    else "-",
                )
            )
            replacements |= replacement
        if len(replacements) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": replacements.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_write_off(self):
        """Write Off (a sales manager): the dialog of the write-off record, with its
        reason; recording it removes the deployment."""
        self.ensure_one()
        if not is_sales_manager(self.env):
            raise AccessError(
                self.env._(
                    "Only a sales manager writes POP off: ask one to write off %(deployment)s.",
                    deployment=self.display_name,
                )
            )
        self._spm_check_state(POP_DEPLOYED_STATES, self.env._("Write Off"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off POP"),
            "res_model": "spm.pop.writeoff",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_deployment_id": self.id},
        }

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_pop_inspection_action"
        )
        action["domain"] = [("deployment_id", "=", self.id)]
        action["context"] = {}
        return action
