import calendar
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .spm_time import spm_tz

# How many days ahead a payday still moves the collection: a payday within the next 10
# days is waited for, a later one is not.
PAYDAY_LOOKAHEAD_DAYS = 10
# How many days the search for a free slot may look ahead before giving up on windows.
SLOT_SEARCH_DAYS = 14
NON_NEGATIVE_DAYS = (
    "after_payday_days",
    "grace_days",
    "max_deferrals",
    "block_orders_after_days",
    "max_promise_days",
)
# The holds a rule may put on a customer's orders, each switched on by a manager.
HOLD_SWITCHES = ("hold_overdue", "hold_deferrals", "hold_credit_limit")


def payday_on_or_after(payday, day):
    """The customer's payday (1-31) on or after ``day``; a payday past the end of a
    month falls on its last day (payday 31 in February is the 28th or 29th)."""
    year, month = day.year, day.month
    for _i in range(2):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(payday, last))
        if candidate >= day:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return candidate


# Specificity of a rule's scope: the most specific matching rule applies.
SCOPE_LEVELS = {"partner": 3, "category": 2, "region": 1, "global": 0}


class SpmCollectionRule(models.Model):
    _name = "spm.collection.rule"
    _inherit = ["spm.input.mixin"]
    _description = "Collection Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    region_ids = fields.Many2many(
        "spm.region",
        string="Regions",
        check_company=True,
        help="Customers of these regions and their sub-regions. Empty: every region.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Customers with one of these tags. Empty: every customer.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        check_company=True,
        domain="[('parent_id', '=', False)]",
        help="These customers only. Empty: every customer.",
    )
    window_ids = fields.One2many("spm.collection.window", "rule_id", string="Blackout Windows")
    day_start = fields.Float(
        string="Collect From", default=9.0, help="Earliest hour of the day to collect."
    )
    day_end = fields.Float(string="Collect Until", default=18.0, help="Latest hour to collect.")
    after_payday_days = fields.Integer(
        string="Days After Payday",
        default=1,
        help="When the customer's payday comes within ten days of the due date, collect "
        "this many days after it.",
    )
    grace_days = fields.Integer(
        default=3,
        help="Days after its date before an unpaid promise to pay counts as broken.",
    )
    max_deferrals = fields.Integer(
        string="Maximum Deferrals",
        default=1,
        help="A promise dated after the invoice's due date is a deferral. A task with more "
        "deferrals than this escalates to the manager (and the customer's orders are held "
        "when that hold is on): with 1, the second such promise escalates.",
    )
    max_promise_days = fields.Integer(
        string="Promise Horizon (days)",
        default=60,
        help="A promise to pay may be dated at most this many days after the day it is recorded.",
    )
    hold_overdue = fields.Boolean(
        string="Hold Orders When Overdue",
        help="Refuse to confirm or raise orders of a customer with an invoice overdue by "
        "more than the days below. Off: overdue invoices are collected, orders go through.",
    )
    block_orders_after_days = fields.Integer(
        string="Hold Orders After (days overdue)",
        default=30,
        help="With the overdue hold on: orders of a customer with an invoice overdue by more "
        "than this many days are held. 0: never.",
    )
    hold_deferrals = fields.Boolean(
        string="Hold Orders When Deferrals Are Used Up",
        help="Refuse to confirm or raise orders of a customer with a collection task put off "
        "more often than the maximum deferrals.",
    )
    hold_credit_limit = fields.Boolean(
        string="Hold Orders Above the Credit Limit",
        help="Refuse to confirm or raise orders that take the customer above its credit "
        "limit (when credit limits are used in the accounting settings). Off: Odoo only "
        "warns.",
    )
    scope_level = fields.Selection(
        [
            ("global", "Everyone"),
            ("region", "Region"),
            ("category", "Tag"),
            ("partner", "Customer"),
        ],
        compute="_compute_scope_level",
        string="Scope",
    )
    note = fields.Html()

    @api.depends("region_ids", "partner_category_ids", "partner_ids")
    def _compute_scope_level(self):
        for rule in self:
            if rule.partner_ids:
                rule.scope_level = "partner"
            elif rule.partner_category_ids:
                rule.scope_level = "category"
            elif rule.region_ids:
                rule.scope_level = "region"
            else:
                rule.scope_level = "global"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _rule_scopes
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _rule_scopes
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _rule_scopes
        return super().unlink()

    @api.constrains(*NON_NEGATIVE_DAYS)
    def _check_non_negative(self):
        for rule in self:
            for fname in NON_NEGATIVE_DAYS:
                if rule[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of collection rule %(rule)s cannot be negative.",
                            field=self._fields[fname]._description_string(self.env),
                            rule=rule.display_name,
                        )
                    )

    @api.constrains("day_start", "day_end")
    def _check_day_hours(self):
        for rule in self:
            if not (0 <= rule.day_start <= 24 and 0 <= rule.day_end <= 24):
                raise ValidationError(
                    self.env._(
                        "Collection hours of rule %(rule)s must lie between 0 and 24.",
                        rule=rule.display_name,
                    )
                )
            if rule.day_start >= rule.day_end:
                raise ValidationError(
                    self.env._(
                        "Collection hours of rule %(rule)s must start before they end.",
                        rule=rule.display_name,
                    )
                )

    @api.constrains("day_start", "day_end", "window_ids")
    def _check_some_collection_hour(self):
        """A rule whose blackout windows cover every collection hour of every day
        leaves no moment to plan a collection."""
        for rule in self:
            if all(rule._first_free_hour(weekday) is None for weekday in range(7)):
                raise ValidationError(
                    self.env._(
                        "The blackout windows of collection rule %(rule)s cover every "
                        "collection hour (%(start)s to %(end)s) of every day: nothing could "
                        "be planned. Shorten a window or limit it to some weekdays.",
                        rule=rule.display_name,
                        start=rule._format_hour(rule.day_start),
                        end=rule._format_hour(rule.day_end),
                    )
                )

    @staticmethod
    def _format_hour(hour):
        minutes = round(hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    # ------------------------------------------------------------------
    # Defaults: one place for "no rule matches"
    # ------------------------------------------------------------------
    def _value(self, fname):
        """The rule's value, or the field's default when no rule matched (empty
        recordset): the same figures a new rule starts with."""
        if self:
            self.ensure_one()
            return self[fname]
        return self._fields[fname].default(self)

    def _hold_summary(self):
        """The holds this rule puts on orders, in words (for the settings page)."""
        self.ensure_one()
        holds = []
        if self.hold_overdue and self.block_orders_after_days:
            holds.append(
                self.env._(
                    "an invoice overdue more than %(days)s days", days=self.block_orders_after_days
                )
            )
        if self.hold_deferrals:
            holds.append(
                self.env._("more than %(max)s deferrals on an invoice", max=self.max_deferrals)
            )
        if self.hold_credit_limit:
            holds.append(self.env._("the credit limit exceeded"))
        if not holds:
            return self.env._(
                "%(rule)s plans collection and holds no order: switch its holds on in the rule.",
                rule=self.display_name,
            )
        return self.env._(
            "%(rule)s holds the orders of a customer with %(holds)s.",
            rule=self.display_name,
            holds=", ".join(holds),
        )

    @api.model
    def _company_default_rule(self, company):
        """The company's rule for customers no more specific rule matches."""
        rules = self._rules_by_company().get(company.id, self.browse())
        fallback = rules.filtered(lambda rule: rule.scope_level == "global")
        return fallback.sorted(lambda rule: (rule.sequence, rule.id))[:1]

    @api.model
    def _create_default_rules(self, companies=None):
        """Give every company without a collection rule a global default one, so that
        collection is planned in every company. It holds no order until a manager switches
        its holds on."""
        Rule = self.sudo().with_context(active_test=False)
        if companies is None:
            with_rules = Rule.search([("company_id", "!=", False)]).company_id
            companies = self.env["res.company"].sudo().search([("id", "not in", with_rules.ids)])
        else:
            with_rules = Rule.search([("company_id", "in", companies.ids)]).company_id
        return self.sudo().create(
            [
                {
                    "name": self.env._("Default collection rule"),
                    "sequence": 100,
                    "company_id": company.id,
                }
                for company in companies - with_rules
            ]
        )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------
    def _match_reason(self, partner, scope, region):
        """Why this rule, the most specific one, applies to ``partner`` (``scope``: the
        rule's scope level; ``region``: the partner's region or parent the rule names)."""
        self.ensure_one()
        if scope == "partner":
            return self.env._("the rule names this customer")
        if scope == "category":
            tags = self.partner_category_ids & partner.category_id
            return self.env._(
                "the customer is tagged %(tags)s", tags=", ".join(tags.mapped("name"))
            )
        if scope == "region":
            return self.env._("the customer is in region %(region)s", region=region.complete_name)
        return self.env._("no more specific rule matches the customer")

    @api.model
    @tools.ormcache()
    def _rule_scopes(self):
        """``(company id, rule id, sequence, customer ids, tag ids, region ids)`` of every
        active rule, read once per registry: a hold check or a planning run matches
        customers without reading the rules. Any change of a rule clears it."""
        rules = self.sudo().search_fetch(
            [("active", "=", True)],
            ["company_id", "sequence", "partner_ids", "partner_category_ids", "region_ids"],
        )
        return tuple(
            (
                rule.company_id.id,
                rule.id,
                rule.sequence,
                frozenset(rule.partner_ids.ids),
                frozenset(rule.partner_category_ids.ids),
                frozenset(rule.region_ids.ids),
            )
            for rule in rules
        )

    @api.model
    def _rules_by_company(self):
        by_company = {}
        for company_id, rule_id, *__ in self._rule_scopes():
            by_company.setdefault(company_id, []).append(rule_id)
        return {company_id: self.browse(ids) for company_id, ids in by_company.items()}

    @api.model
    def _match_partners(self, partners, company):
        """{commercial partner: (rule, reason)} for the most specific rule of
        ``company`` matching each partner: customer > tag > region (the nearest region
        first) > everyone."""
        scopes = [scope for scope in self._rule_scopes() if scope[0] == company.id]
        result = {}
        for partner in partners:
            # The partner's tags and region are read only when a rule names some.
            tags = path = None
            best = None
            for __, rule_id, sequence, partner_ids, tag_ids, region_ids in scopes:
                if partner_ids and partner.id not in partner_ids:
                    continue
                if tag_ids:
                    if tags is None:
                        tags = set(partner.category_id.ids)
                    if not tag_ids & tags:
                        continue
                depth = 0
                if region_ids:
                    if path is None:
                        parent_path = partner.spm_region_id.parent_path or ""
                        path = [int(part) for part in parent_path.split("/") if part]
                    depth = max(
                        (index + 1 for index, region in enumerate(path) if region in region_ids),
                        default=0,
                    )
                    if not depth:
                        continue
                scope = (
                    "partner"
                    if partner_ids
                    else "category"
                    if tag_ids
                    else "region"
                    if region_ids
                    else "global"
                )
                key = (SCOPE_LEVELS[scope], depth, -sequence, -rule_id)
                if best is None or key > best[0]:
                    best = (key, rule_id, scope, depth)
            if best is None:
                result[partner] = (self.browse(), "")
                continue
            __, rule_id, scope, depth = best
            rule = self.browse(rule_id)
            region = self.env["spm.region"].browse(path[depth - 1] if depth else [])
            result[partner] = (rule, rule._match_reason(partner, scope, region))
        return result

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    @api.model
    def _partner_timezone(self, partner, user):
        return spm_tz(partner, user)

    def _first_free_hour(self, weekday, from_hour=0.0):
        """First hour (float) from ``day_start`` (and not before ``from_hour``) not
        covered by a blackout window on that weekday, or None when the rest of the
        collection day is blacked out."""
        hour = max(self._value("day_start"), from_hour)
        day_end = self._value("day_end")
        windows = self.window_ids
        moved = True
        while moved and hour < day_end:
            moved = False
            for window in windows:
                if (not window.weekday or int(window.weekday) == weekday) and (
                    window.hour_from <= hour < window.hour_to
                ):
                    hour = window.hour_to
                    moved = True
        return hour if hour < day_end else None

    def _planned_datetime(self, partner, user, date_due, now=None, use_payday=True):
        """First moment allowed by this rule (may be empty: defaults) on or after the
        due date and never before ``now`` (UTC, default the current time), moved to
        just after the customer's payday when it comes within ten days
        (``use_payday``: not for a date the customer promised), outside every
        blackout window. "Today" and "now" are the customer's (timezone of the
        customer, else of the rep), not the scheduler's; returned as naive UTC."""
        tz = self._partner_timezone(partner, user)
        local_now = pytz.utc.localize(now or fields.Datetime.now()).astimezone(tz)
        local_today = local_now.date()
        # The customer's clock rounded up to the minute: slots before it have passed.
        now_minutes = local_now.hour * 60 + local_now.minute
        if local_now.second or local_now.microsecond:
            now_minutes += 1
        now_hour = now_minutes / 60.0
        start = max(date_due, local_today)
        if use_payday and partner.spm_payday:
            payday = payday_on_or_after(int(partner.spm_payday), start)
            if (payday - start).days <= PAYDAY_LOOKAHEAD_DAYS:
                start = payday + timedelta(days=self._value("after_payday_days"))
        for offset in range(SLOT_SEARCH_DAYS):
            day = start + timedelta(days=offset)
            from_hour = now_hour if day == local_today else 0.0
            hour = self._first_free_hour(day.weekday(), from_hour)
            if hour is None:
                continue
            local = self._localize(tz, day, hour)
            wall = local.hour + local.minute / 60.0
            if abs(wall - hour) > 1 / 120.0:
                # The wall time does not exist (DST gap): take the moment the
                # clock jumps to, if it is still allowed.
                if self.window_ids._covers(day.weekday(), wall) or wall >= self._value("day_end"):
                    continue
            return local.astimezone(pytz.utc).replace(tzinfo=None)
        return self._localize(tz, start, 9.0).astimezone(pytz.utc).replace(tzinfo=None)

    @staticmethod
    def _localize(tz, day, hour):
        minutes = round(hour * 60)
        naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return tz.normalize(tz.localize(naive, is_dst=False))
