from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .spm_protected_mixin import MANAGER

ARCHIVE_TYPES = [
    ("consumer", "Consumer"),
    ("dealer", "Dealer"),
    ("agent", "Agent"),
    ("system_integrator", "System Integrator"),
    ("outlet", "Outlet"),
    ("other", "Other"),
]
CHANNEL_LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]
ECONOMIC_NATURES = [
    ("state_owned", "State-owned"),
    ("collective", "Collective"),
    ("private", "Private"),
    ("foreign", "Foreign-owned"),
    ("joint_venture", "Joint Venture"),
    ("individual", "Individual Business"),
    ("other", "Other"),
]
GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
DECISION_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("influencer", "Influencer"),
    ("user", "User"),
    ("gatekeeper", "Gatekeeper"),
]
PAYDAYS = [(str(day), str(day)) for day in range(1, 32)]

NON_NEGATIVE_FIELDS = (
    "spm_employee_count",
    "spm_store_count",
    "spm_annual_revenue",
    "spm_annual_sales",
)
# What a complete market archive holds (handbook §7: economic nature, scale,
# network, main business performance, credit, management background).
COMPLETENESS_FIELDS = (
    "spm_archive_type",
    "spm_economic_nature",
    "spm_employee_count",
    "spm_annual_revenue",
    "spm_region_id",
    "spm_network_region_ids",
    "spm_main_products",
    "spm_annual_sales",
    "spm_credit_rating",
    "spm_payday",
    "spm_tier",
)


class ResPartner(models.Model):
    """The market archive of a customer (信息收集及分析): what it is, its scale, network,
    performance, credit and key people, and when the archive was last reviewed."""

    _name = "res.partner"
    _inherit = ["res.partner", "spm.protected.mixin", "spm.input.mixin"]

    # Market archive
    spm_archive_type = fields.Selection(
        ARCHIVE_TYPES, string="Archive Type", tracking=True, index=True
    )
    spm_channel_level = fields.Selection(CHANNEL_LEVELS, string="Channel Level", tracking=True)
    spm_economic_nature = fields.Selection(ECONOMIC_NATURES, string="Economic Nature")
    spm_employee_count = fields.Integer(string="Employees")
    spm_annual_revenue = fields.Monetary(string="Annual Revenue")
    spm_store_count = fields.Integer(string="Stores")
    spm_region_id = fields.Many2one(
        "spm.region",
        string="Sales Region",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    spm_network_region_ids = fields.Many2many(
        "spm.region",
        "spm_partner_network_region_rel",
        "partner_id",
        "region_id",
        string="Network Coverage",
        help="Regions the customer's own sales network reaches.",
    )
    spm_main_products = fields.Text(string="Main Products")
    spm_annual_sales = fields.Monetary(string="Annual Sales")
    spm_performance_note = fields.Text(string="Performance Notes")
    spm_credit_rating = fields.Selection(GRADES, string="Credit Rating", tracking=True)
    spm_payday = fields.Selection(
        PAYDAYS,
        string="Payday",
        help="Day of the month the customer pays its staff; collection is planned just after it.",
    )
    spm_tier = fields.Selection(
        GRADES,
        string="Customer Class",
        tracking=True,
        help="A to D: drives how often the customer is revisited.",
    )
    spm_referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        tracking=True,
        help="The customer whose word of mouth brought this one.",
    )
    spm_referral_ids = fields.One2many("res.partner", "spm_referred_by_id", string="Referrals")
    spm_referral_count = fields.Integer(
        string="Referral Count", compute="_compute_spm_referral_count"
    )
    spm_archive_completeness = fields.Integer(
        string="Archive Completeness (%)",
        compute="_compute_spm_archive_completeness",
        store=True,
        aggregator="avg",
    )
    spm_archive_reviewed_on = fields.Date(string="Archive Reviewed On", readonly=True, copy=False)
    spm_archive_stale = fields.Boolean(
        string="Archive Stale",
        compute="_compute_spm_archive_stale",
        search="_search_spm_archive_stale",
    )
    # Key people (on the contacts of a customer)
    spm_is_key_person = fields.Boolean(string="Key Person", index=True)
    spm_decision_role = fields.Selection(DECISION_ROLES, string="Decision Role")
    spm_background = fields.Text(string="Background", help="Education, career, interests.")

    @api.depends("spm_referral_ids")
    def _compute_spm_referral_count(self):
        counts = dict(
            self._read_group(
                [("spm_referred_by_id", "in", self.ids)],
                ["spm_referred_by_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.spm_referral_count = counts.get(partner._origin, 0)

    @api.depends(lambda self: (*COMPLETENESS_FIELDS, "parent_id", "child_ids.spm_is_key_person"))
    def _compute_spm_archive_completeness(self):
        total = len(COMPLETENESS_FIELDS) + 1  # + at least one key person
        for partner in self:
            if partner.parent_id:
                partner.spm_archive_completeness = 0
                continue
            filled = sum(1 for fname in COMPLETENESS_FIELDS if partner[fname])
            filled += any(partner.child_ids.mapped("spm_is_key_person"))
            partner.spm_archive_completeness = round(100 * filled / total)

    def _spm_stale_before(self, company):
        """Reviews older than this date are stale under ``company``'s interval."""
        return fields.Date.context_today(self) - timedelta(days=company.spm_archive_stale_days)

    @api.depends("spm_archive_type", "spm_archive_reviewed_on", "parent_id", "company_id")
    @api.depends_context("company")
    def _compute_spm_archive_stale(self):
        limits = {}
        for partner in self:
            company = partner.company_id or self.env.company
            if company not in limits:
                limits[company] = self._spm_stale_before(company)
            partner.spm_archive_stale = (
                bool(partner.spm_archive_type)
                and not partner.parent_id
                and (
                    not partner.spm_archive_reviewed_on
                    or partner.spm_archive_reviewed_on < limits[company]
                )
            )

    def _search_spm_archive_stale(self, operator, value):
        # What a client may send for a yes/no field: = / != a value, in / not in a list.
        if operator in ("in", "not in") and isinstance(value, (list, tuple, set)):
            wanted = {bool(item) for item in value}
        elif operator in ("=", "!=") and not isinstance(value, (list, tuple, set, dict)):
            wanted = {bool(value)}
        else:
            raise UserError(
                self.env._(
                    "%(field)s can only be searched with =, !=, in or not in and yes/no "
                    "values, not %(operator)s %(value)s.",
                    field=self._fields["spm_archive_stale"]._description_string(self.env),
                    operator=operator,
                    value=repr(value),
                )
            )
        if operator in ("!=", "not in"):
            wanted = {True, False} - wanted
        if wanted == {True, False}:
            return expression.TRUE_DOMAIN
        if not wanted:
            return expression.FALSE_DOMAIN
        want_stale = wanted.pop()
        # Each company's customers by its own interval; shared ones by the current one.
        overdue = [
            [("company_id", "=", company.id), ("spm_archive_reviewed_on", "<", limit)]
            for company, limit in [
                (company, self._spm_stale_before(company)) for company in self.env.companies
            ]
        ]
        overdue.append(
            [
                ("company_id", "=", False),
                ("spm_archive_reviewed_on", "<", self._spm_stale_before(self.env.company)),
            ]
        )
        stale = expression.AND(
            [
                [("spm_archive_type", "!=", False), ("parent_id", "=", False)],
                expression.OR([[("spm_archive_reviewed_on", "=", False)], *overdue]),
            ]
        )
        if want_stale:
            return stale
        return ["!", *expression.normalize_domain(stale)]

    @api.constrains("spm_region_id", "spm_network_region_ids", "company_id")
    def _check_spm_region_company(self):
        """A customer of one company cannot sit in another company's regions (shared
        customers, without a company, may use any region)."""
        for partner in self.filtered("company_id"):
            foreign = (partner.spm_region_id | partner.spm_network_region_ids).filtered(
                lambda region, partner=partner: (
                    region.company_id and region.company_id != partner.company_id
                )
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(partner)s belongs to %(company)s: the region(s) %(regions)s "
                        "belong to another company.",
                        partner=partner.display_name,
                        company=partner.company_id.name,
                        regions=", ".join(foreign.mapped("complete_name")),
                    )
                )

    @api.constrains(*NON_NEGATIVE_FIELDS)
    def _check_spm_non_negative(self):
        for partner in self:
            for fname in NON_NEGATIVE_FIELDS:
                if partner[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(partner)s cannot be negative.",
                            field=self._fields[fname]._description_string(self.env),
                            partner=partner.display_name,
                        )
                    )

    @api.constrains("spm_referred_by_id")
    def _check_spm_referred_by_id(self):
        if self._has_cycle("spm_referred_by_id"):
            raise ValidationError(
                self.env._(
                    "A customer cannot be referred by itself, directly or through "
                    "the customers it referred."
                )
            )

    def _spm_protected_fields(self):
        return {"spm_archive_reviewed_on": MANAGER}

    def _spm_protected_hint(self):
        return self.env._(
            "The archive review date is set by Mark Reviewed, once the archive has been "
            "checked with the customer."
        )

    def _spm_input_prepare(self, vals):
        """A payday sent as a number (as RPC clients send it) is the same day as text;
        anything else is left to the input check, which names the field."""
        payday = vals.get("spm_payday")
        if type(payday) is int and str(payday) in dict(PAYDAYS):
            vals["spm_payday"] = str(payday)

    def action_spm_mark_reviewed(self):
        self.check_access("write")
        today = fields.Date.context_today(self)
        self.sudo()._spm_protected().write({"spm_archive_reviewed_on": today})
        body = self.env._("Market archive reviewed.")
        self._message_log_batch(bodies={partner.id: body for partner in self})
        return True

    def action_spm_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_partner_archive_action"
        )
        action["domain"] = [("spm_referred_by_id", "=", self.id)]
        action["context"] = {"default_spm_referred_by_id": self.id}
        return action
