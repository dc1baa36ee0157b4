import math
import unicodedata
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_input_mixin import _is_finite_number
from .spm_manager import is_sales_manager
from .spm_protected_mixin import MANAGER, NOBODY
from .spm_time import spm_rep_today, spm_todays

VISIT_PURPOSES = [
    ("prospecting", "Prospecting"),
    ("routine", "Routine Visit"),
    ("revisit", "Revisit"),
    ("order", "Order Taking"),
    ("delivery", "Delivery"),
    ("collection", "Collection"),
    ("after_sales", "After-sales Service"),
    ("promotion", "Promotion"),
    ("information", "Information Gathering"),
]
VISIT_STATES = [
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("missed", "Missed"),
]
VISIT_OUTCOMES = [
    ("order", "Order Taken"),
    ("progress", "Progress Made"),
    ("no_progress", "No Progress"),
    ("issue", "Issue Raised"),
    ("absent", "Customer Absent"),
]
SATISFACTION_LEVELS = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
LOCATION_STATUSES = [
    ("verified", "Verified"),
    ("too_far", "Too Far"),
    ("no_position", "No Position"),
    ("no_customer_location", "Customer Not Located"),
    ("location_unconfirmed", "Location Unconfirmed"),
]
# The proof of a visit: written only by its buttons and crons.
PROOF_FIELDS = (
    "state",
    "check_in_time",
    "check_in_latitude",
    "check_in_longitude",
    "check_in_distance_m",
    "check_out_time",
    "check_out_latitude",
    "check_out_longitude",
    "check_out_distance_m",
    "location_status",
    "location_verified",
    "cadence_planned",
)
# A sales manager may correct these on a visit that has them; the correction is
# logged in the chatter.
PROOF_TIME_FIELDS = ("check_in_time", "check_out_time")
# Characters that show nothing although they are not whitespace for str.isspace()
INVISIBLE_CHARACTERS = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")
EARTH_RADIUS_M = 6371008.8


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def is_blank(text):
    """Whether a text shows nothing: empty, whitespace, or only invisible characters
    (zero-width spaces and joiners, format and control characters, fillers)."""
    return all(
        char.isspace()
        or char in INVISIBLE_CHARACTERS
        or unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me")
        for char in text or ""
    )


class SpmVisit(models.Model):
    _name = "spm.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "planned_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    region_id = fields.Many2one(
        "spm.region",
        string="Sales Region",
        compute="_compute_region_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    purpose = fields.Selection(
        VISIT_PURPOSES, required=True, default="routine", tracking=True, index=True
    )
    state = fields.Selection(
        VISIT_STATES, required=True, default="planned", tracking=True, index=True, copy=False
    )
    state_rank = fields.Integer(compute="_compute_state_rank", store=True, precompute=True)
    planned_start = fields.Datetime(
        string="Planned For", required=True, default=fields.Datetime.now, tracking=True
    )
    planned_duration = fields.Float(default=1.0, help="In hours.")
    visit_date = fields.Date(
        compute="_compute_visit_date",
        store=True,
        precompute=True,
        index=True,
        help="Day of the visit in the rep's timezone: check-in day, else the planned day.",
    )
    cadence_planned = fields.Boolean(
        string="Planned by Cadence",
        readonly=True,
        copy=False,
        help="Planned automatically because the customer was due for a revisit.",
    )
    # Check-in / check-out
    check_in_time = fields.Datetime(readonly=True, copy=False, tracking=True)
    check_in_latitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    check_in_longitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    check_in_distance_m = fields.Float(
        string="Check-in Distance (m)", digits=(16, 0), readonly=True, copy=False
    )
    check_out_time = fields.Datetime(readonly=True, copy=False, tracking=True)
    check_out_latitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    check_out_longitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    check_out_distance_m = fields.Float(
        string="Check-out Distance (m)", digits=(16, 0), readonly=True, copy=False
    )
    location_status = fields.Selection(LOCATION_STATUSES, readonly=True, copy=False, tracking=True)
    location_verified = fields.Boolean(
        readonly=True,
        copy=False,
        help="Checked in within the company's radius of the customer's location.",
    )
    verified_share = fields.Float(
        string="Verified (%)",
        compute="_compute_verified_share",
        store=True,
        aggregator="avg",
    )
    actual_duration = fields.Float(compute="_compute_actual_duration", store=True, aggregator="avg")
    partner_latitude = fields.Float(related="partner_id.partner_latitude")
    partner_longitude = fields.Float(related="partner_id.partner_longitude")
    # Pre-visit plan (售前分析)
    objective = fields.Text(help="What this visit must achieve.")
    talking_points = fields.Text(help="Pre-visit analysis: what to present, ask and answer.")
    # Result
    outcome = fields.Text(help="What happened during the visit.")
    outcome_type = fields.Selection(VISIT_OUTCOMES, string="Result", tracking=True)
    customer_feedback = fields.Text()
    satisfaction = fields.Selection(SATISFACTION_LEVELS, string="Customer Satisfaction")
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score", store=True, aggregator="avg"
    )
    next_step = fields.Text()
    next_visit_date = fields.Date(help="A visit is planned for this day when the rep checks out.")
    opportunity_id = fields.Many2one(
        "crm.lead",
        check_company=True,
        index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    sale_order_ids = fields.One2many("sale.order", "spm_visit_id", string="Orders")
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    competitor_observation_ids = fields.One2many(
        "spm.competitor.product", "visit_id", string="Competitor Observations"
    )

    def init(self):
        """Two rules the database holds against concurrent transactions: the revisit
        cron never plans two open revisits for a customer, even when two workers run
        it at the same moment; a rep is in one visit at a time."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_visit_cadence_partner_uniq "
                "ON spm_visit (partner_id) WHERE cadence_planned AND state = 'planned'"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_visit_user_in_progress_uniq "
                "ON spm_visit (user_id) WHERE state = 'in_progress'"
            )
        )
        return res

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for visit in self:
            company = visit.company_id
            team = visit.team_id
            if team in visit.user_id.crm_team_ids and team.company_id in (
                company,
                company.browse(),
            ):
                continue
            # a team of the visit's company (or a team shared by all companies), else none
            teams = (visit.user_id.sale_team_id | visit.user_id.crm_team_ids).filtered(
                lambda team, company=company: not team.company_id or team.company_id == company
            )
            visit.team_id = teams[:1]

    @api.depends("partner_id")
    def _compute_region_id(self):
        for visit in self:
            visit.region_id = visit.partner_id.spm_region_id or visit.region_id

    @api.depends("state")
    def _compute_state_rank(self):
        ranks = {"in_progress": 0, "planned": 1}
        for visit in self:
            visit.state_rank = ranks.get(visit.state, 2)

    # Not on user_id.tz: a rep moving to another timezone does not rewrite the days
    # of past visits (nor the customer's last visit date); the day is fixed when the
    # visit is planned or checked in.
    @api.depends("check_in_time", "planned_start", "user_id")
    def _compute_visit_date(self):
        for visit in self:
            moment = visit.check_in_time or visit.planned_start
            if not moment:
                visit.visit_date = False
                continue
            visit.visit_date = spm_rep_today(visit.user_id, now=moment)

    @api.depends("state", "location_verified")
    def _compute_verified_share(self):
        for visit in self:
            visit.verified_share = 100.0 if visit.location_verified else 0.0

    @api.depends("check_in_time", "check_out_time")
    def _compute_actual_duration(self):
        for visit in self:
            if visit.check_in_time and visit.check_out_time:
                delta = visit.check_out_time - visit.check_in_time
                visit.actual_duration = delta.total_seconds() / 3600
            else:
                visit.actual_duration = 0.0

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for visit in self:
            visit.satisfaction_score = int(visit.satisfaction or 0)

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("spm_visit_id", "in", self.ids)], ["spm_visit_id"], ["__count"]
            )
        )
        for visit in self:
            visit.sale_order_count = counts.get(visit._origin, 0)

    @api.constrains("planned_duration")
    def _check_planned_duration(self):
        for visit in self:
            if visit.planned_duration < 0 or visit.planned_duration > 24:
                raise ValidationError(
                    self.env._(
                        "The planned duration of %(visit)s must be between 0 and 24 hours.",
                        visit=visit.display_name,
                    )
                )

    @api.constrains("next_visit_date", "visit_date")
    def _check_next_visit_date(self):
        for visit in self:
            if (
                visit.next_visit_date
                and visit.visit_date
                and visit.next_visit_date < visit.visit_date
            ):
                raise ValidationError(
                    self.env._(
                        "The next visit of %(visit)s cannot be before this visit (%(date)s).",
                        visit=visit.display_name,
                        date=visit.visit_date,
                    )
                )

    @api.constrains("state", "check_in_time", "check_out_time")
    def _check_proof_times(self):
        """A manager's time correction keeps the proof whole."""
        for visit in self:
            if visit.state in ("in_progress", "done") and not visit.check_in_time:
                missing = "check_in_time"
            elif visit.state == "done" and not visit.check_out_time:
                missing = "check_out_time"
            else:
                if (
                    visit.check_in_time
                    and visit.check_out_time
                    and visit.check_out_time < visit.check_in_time
                ):
                    raise ValidationError(
                        self.env._(
                            "Visit %(visit)s cannot be checked out before it was checked in.",
                            visit=visit.display_name,
                        )
                    )
                continue
            raise ValidationError(
                self.env._(
                    "Visit %(visit)s needs its %(field)s: it proves the visit.",
                    visit=visit.display_name,
                    field=self._fields[missing]._description_string(self.env),
                )
            )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.parent_id != self.partner_id:
            self.contact_id = False

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        commercial = {partner.id: partner.commercial_partner_id for partner in partners}
        for vals in vals_list:
            partner = commercial.get(vals.get("partner_id"))
            if partner and partner.id != vals["partner_id"]:
                # a visit is to a customer: keep the person met as the contact
                vals.setdefault("contact_id", vals["partner_id"])
                vals["partner_id"] = partner.id
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("spm.visit") or "New"
        # the rules of new visits, not those of the visit this may be called on
        return super(SpmVisit, self.browse()).create(vals_list)

    def _spm_is_manager(self):
        return is_sales_manager(self.env)

    def _spm_check_visit_rep(self, action, error=UserError):
        """Only the visit's rep, or a sales manager, acts for the customer at it (read as
        the superuser: a visit handed over may no longer be readable by its former rep)."""
        visit = self.sudo()
        if visit.user_id != self.env.user and not self._spm_is_manager():
            raise error(
                self.env._(
                    "%(action)s: visit %(visit)s is %(rep)s's; only that rep or a sales "
                    "manager acts on it.",
                    action=action,
                    visit=visit.display_name,
                    rep=visit.user_id.name,
                )
            )

    def _spm_protected_fields(self):
        """The proof of a visit is set only by its buttons and crons; a sales manager
        may correct the check-in and check-out times a visit has. Its customer and rep
        are part of that proof once it is checked in; before, only a sales manager
        hands a visit to another rep."""
        protected = dict.fromkeys(PROOF_FIELDS, NOBODY)
        for fname in PROOF_TIME_FIELDS:
            if self and all(self.mapped(fname)):
                protected[fname] = MANAGER
        if any(self.mapped("check_in_time")):
            protected.update(partner_id=NOBODY, user_id=NOBODY)
        else:
            protected["user_id"] = MANAGER
        if any(visit.state == "done" for visit in self):
            protected["planned_start"] = MANAGER
        return protected

    def _spm_protected_value_allowed(self, fname, value):
        # a rep plans his own visits (at creation, the records are not there yet)
        return fname == "user_id" and not self and value == self.env.uid

    def _spm_protected_hint(self):
        hint = self.env._(
            "Use Check In, Check Out, Cancel Visit and Plan Again; a sales manager may "
            "correct the check-in and check-out times, and hand a planned visit to "
            "another rep."
        )
        if any(self.mapped("check_in_time")):
            hint += " " + self.env._(
                "A checked-in visit keeps its customer and its rep: plan a new visit "
                "for another customer or rep."
            )
        return hint

    def write(self, vals):
        corrected = {}
        if not self._spm_is_protected_write() and any(f in vals for f in PROOF_TIME_FIELDS):
            corrected = {
                visit: {
                    fname: visit[fname]
                    for fname in PROOF_TIME_FIELDS
                    if fname in vals
                    and (visit[fname] or None) != (fields.Datetime.to_datetime(vals[fname]) or None)
                }
                for visit in self
            }
        res = super().write(vals)
        for visit, old in corrected.items():
            if old:
                visit._spm_log_time_correction(old)
        return res

    def _spm_log_time_correction(self, old):
        self.ensure_one()
        lines = [
            self.env._(
                "%(field)s: %(old)s → %(new)s",
                field=self._fields[fname]._description_string(self.env),
                old=old[fname] or "—",
                new=self[fname] or "—",
            )
            for fname in old
        ]
        self.message_post(
            body=self.env._(
                "Times corrected by %(manager)s: %(changes)s.",
                manager=self.env.user.name,
                changes="; ".join(lines),
            )
        )

    def _spm_write_proof(self, vals):
        """Write proof fields on behalf of an action button, after checking that the
        user may change these visits at all."""
        self.check_access("write")
        return self.sudo()._spm_protected().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self._spm_is_manager():
            return
        checked_in = self.filtered("check_in_time")
        if checked_in:
            raise UserError(
                self.env._(
                    "Visit %(visit)s has been checked in: it stays in the customer's "
                    "history. Cancel it instead, or ask a sales manager.",
                    visit=checked_in[0].display_name,
                )
            )

    # ------------------------------------------------------------------
    # Check-in / check-out
    # ------------------------------------------------------------------

    def _spm_ensure_one(self, action):
        """``ensure_one`` with a message for the user."""
        if len(self) != 1:
            raise UserError(
                self.env._(
                    "%(action)s works on one visit at a time, not on %(count)s.",
                    action=action,
                    count=len(self),
                )
            )

    def _spm_state_label(self):
        """The visit's state as the user reads it, for messages."""
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _spm_check_position(self, latitude, longitude):
        if latitude is None and longitude is None:
            return None
        if latitude is None or longitude is None:
            raise ValidationError(self.env._("A position needs both a latitude and a longitude."))
        # Numbers only, as a phone sends them: no text, boolean, NaN, infinity or a number
        # too large for a float.
        if not (_is_finite_number(latitude) and _is_finite_number(longitude)):
            raise ValidationError(
                self.env._(
                    "The position %(latitude)s, %(longitude)s is not a pair of numbers.",
                    latitude=latitude,
                    longitude=longitude,
                )
            )
        latitude, longitude = float(latitude), float(longitude)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(
                self.env._(
                    "The position %(latitude)s, %(longitude)s is out of range: the latitude "
                    "must be between -90 and 90 and the longitude between -180 and 180.",
                    latitude=latitude,
                    longitude=longitude,
                )
            )
        return latitude, longitude

    def _spm_locate(self, position):
        """Distance to the customer and verification status for a position: verified
        only within the company's radius of a confirmed customer location."""
        self.ensure_one()
        partner = self.partner_id
        if position is None:
            return 0.0, "no_position"
        # the customer's coordinates in the phone's datum (res_partner_geo.py)
        customer = partner._spm_wgs84_position()
        if customer is None:
            return 0.0, "no_customer_location"
        distance = distance_m(position[0], position[1], customer[0], customer[1])
        if not partner.spm_location_confirmed:
            return distance, "location_unconfirmed"
        radius = self.company_id.spm_visit_radius_m
        return distance, "verified" if distance <= radius else "too_far"

    def _spm_location_note(self, distance, status):
        statuses = dict(self._fields["location_status"]._description_selection(self.env))
        if status in ("verified", "too_far", "location_unconfirmed"):
            return self.env._(
                "%(distance)s m from the customer (%(status)s)",
                distance=round(distance),
                status=statuses[status],
            )
        return statuses[status]

    def action_check_in(self, latitude=None, longitude=None):
        self._spm_ensure_one(self.env._("Check In"))
        position = self._spm_check_position(latitude, longitude)
        return self._spm_check_in(position, fields.Datetime.now())

    def _spm_check_in(self, position, when, proof=None, note=None, from_states=("planned",)):
        """Check in at ``when`` (naive UTC) at ``position`` (a checked pair, or
        ``None``): the one check-in of the button and of a replay from the phone, which
        adds its own ``proof`` values and chatter ``note`` and may check in a visit
        marked missed."""
        # e.g. handed over to a colleague while still planned
        self._spm_check_visit_rep(self.env._("Check In"), AccessError)
        if self.state not in from_states:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: only a planned visit can be checked in.",
                    visit=self.display_name,
                    state=self._spm_state_label(),
                )
            )
        # in any company: the rep is in one visit at a time
        self._spm_lock_rep_visits()
        self._spm_check_no_visit_in_progress()
        distance, status = self._spm_locate(position)
        try:
            with self.env.cr.savepoint():
                self._spm_write_proof(
                    {
                        "state": "in_progress",
                        "check_in_time": when,
                        "check_in_latitude": position[0] if position else 0.0,
                        "check_in_longitude": position[1] if position else 0.0,
                        "check_in_distance_m": distance,
                        "location_status": status,
                        "location_verified": status == "verified",
                        **(proof or {}),
                    }
                )
        except psycopg2.errors.UniqueViolation as error:
            # a visit of the rep that this transaction could not see was checked in
            raise self._spm_check_in_race_error() from error
        body = self.env._(
            "Checked in: %(location)s.", location=self._spm_location_note(distance, status)
        )
        self.message_post(body=f"{body} {note}" if note else body)
        return True

    def _spm_check_in_race_error(self):
        return UserError(
            self.env._(
                "%(rep)s has just checked in to another visit or changed one (on another "
                "device or tab): reload My day and try %(visit)s again.",
                rep=self.user_id.name,
                visit=self.display_name,
            )
        )

    def _spm_lock_rep_visits(self):
        """Lock the rep's open visits before checking in, as ``account`` locks partner
        rows: a check-in racing another one of the same rep (another device or tab)
        waits for it and is then refused here, cleanly, instead of failing on the
        unique index with an error in the server log."""
        self.flush_model(["user_id", "state"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM spm_visit WHERE user_id = %s "
                        "AND state IN ('planned', 'in_progress') ORDER BY id FOR NO KEY UPDATE",
                        self.user_id.id,
                    ),
                    log_exceptions=False,
                )
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.DeadlockDetected,
        ) as error:
            raise self._spm_check_in_race_error() from error

    def _spm_check_no_visit_in_progress(self):
        open_visit = self.sudo().search(
            [
                ("user_id", "=", self.user_id.id),
                ("state", "=", "in_progress"),
                ("id", "!=", self.id),
            ],
            limit=1,
        )
        if open_visit:
            raise UserError(
                self.env._(
                    "%(rep)s is still in visit %(visit)s at %(customer)s (%(company)s): "
                    "check out of it before checking in here.",
                    rep=self.user_id.name,
                    visit=open_visit.name,
                    customer=open_visit.partner_id.display_name,
                    company=open_visit.company_id.name,
                )
            )

    def action_check_out(self, latitude=None, longitude=None):
        self._spm_ensure_one(self.env._("Check Out"))
        position = self._spm_check_position(latitude, longitude)
        return self._spm_check_out(position, fields.Datetime.now())

    def _spm_check_out(self, position, when, proof=None, note=None):
        """Check out at ``when``: see ``_spm_check_in``."""
        if self.state != "in_progress":
            raise UserError(
                self.env._(
                    "Visit %(visit)s has not been checked in: check in at the customer "
                    "before checking out.",
                    visit=self.display_name,
                )
            )
        if is_blank(self.outcome):
            raise UserError(
                self.env._(
                    "Write the outcome of visit %(visit)s before checking out: what was "
                    "discussed and agreed.",
                    visit=self.display_name,
                )
            )
        distance, status = self._spm_locate(position)
        self._spm_write_proof(
            {
                "state": "done",
                "check_out_time": when,
                "check_out_latitude": position[0] if position else 0.0,
                "check_out_longitude": position[1] if position else 0.0,
                "check_out_distance_m": distance,
                **(proof or {}),
            }
        )
        body = self.env._(
            "Checked out: %(location)s.", location=self._spm_location_note(distance, status)
        )
        self.message_post(body=f"{body} {note}" if note else body)
        self._spm_close_revisit_activities(done=True)
        self._spm_plan_next_visit()
        return True

    def _spm_close_revisit_activities(self, done):
        """The to-dos of a visit end with it: marked done at check-out, removed when
        the visit is cancelled or missed."""
        activities = self.sudo().activity_ids
        if not activities:
            return
        if done:
            activities.action_feedback(feedback=self.env._("Visit checked out."))
        else:
            activities.unlink()

    def action_cancel(self):
        not_open = self.filtered(lambda visit: visit.state not in ("planned", "in_progress"))
        if not_open:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is no longer open and cannot be cancelled.",
                    visit=not_open[0].display_name,
                )
            )
        self._spm_write_proof({"state": "cancelled"})
        self._spm_close_revisit_activities(done=False)
        return True

    def action_reset_to_planned(self):
        closed = self.filtered(lambda visit: visit.state not in ("cancelled", "missed"))
        if closed:
            raise UserError(
                self.env._(
                    "Only cancelled or missed visits can be planned again; %(visit)s is not.",
                    visit=closed[0].display_name,
                )
            )
        checked_in = self.filtered("check_in_time")
        if checked_in:
            raise UserError(
                self.env._(
                    "Visit %(visit)s was checked in on %(time)s: its check-in stays as "
                    "proof and it cannot be planned again. Plan a new visit instead.",
                    visit=checked_in[0].display_name,
                    time=fields.Datetime.to_string(checked_in[0].check_in_time),
                )
            )
        self._spm_write_proof({"state": "planned", "cadence_planned": False})
        return True

    def action_new_quotation(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            {
                "views": [(False, "form")],
                "view_mode": "form",
                "target": "current",
                "context": {
                    "default_partner_id": self.partner_id.id,
                    "default_company_id": self.company_id.id,
                    "default_user_id": self.user_id.id,
                    "default_team_id": self.team_id.id,
                    "default_spm_visit_id": self.id,
                    "default_opportunity_id": self.opportunity_id.id,
                    "default_origin": self.name,
                },
            }
        )
        return action

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["domain"] = [("spm_visit_id", "=", self.id)]
        action["context"] = {
            "default_spm_visit_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _spm_missed_domain(self, now=None):
        """Planned visits whose day has passed in the rep's timezone. Timezones run
        from UTC-12 to UTC+14: a visit of a day before (now - 12 h) has passed
        everywhere; a visit of the two days around today has passed when its day is
        before its rep's today (the reps of those visits are grouped by their today)."""
        now = now or fields.Datetime.now()
        passed_everywhere, passed_nowhere = spm_todays(now)
        planned = [("state", "=", "planned")]
        edge = [
            *planned,
            ("visit_date", ">=", passed_everywhere),
            ("visit_date", "<", passed_nowhere),
        ]
        reps_by_today = defaultdict(list)
        for [rep] in self._read_group(edge, ["user_id"]):
            reps_by_today[spm_rep_today(rep, now=now)].append(rep.id)
        passed = [[("visit_date", "<", passed_everywhere)]] + [
            [("user_id", "in", rep_ids), ("visit_date", "<", today)]
            for today, rep_ids in reps_by_today.items()
        ]
        return [*planned, *expression.OR(passed)]

    @api.model
    def _cron_mark_missed(self, batch_size=1000):
        """Planned visits whose day has passed in the rep's timezone without a
        check-in become missed (hourly). Returns the number marked."""
        body = self.env._("Missed: the planned day passed without a check-in.")
        domain = self._spm_missed_domain()

        def mark_batch():
            visits = self.search(domain, order="visit_date, id", limit=batch_size)
            if not visits:
                return 0, 0
            visits.sudo()._spm_protected().write({"state": "missed"})
            visits._spm_close_revisit_activities(done=False)
            visits._message_log_batch(bodies=dict.fromkeys(visits.ids, body))
            remaining = (
                self.search_count(domain, limit=REMAINING_BATCHES * batch_size)
                if len(visits) == batch_size
                else 0
            )
            return len(visits), remaining

        return run_batches(self.env, mark_batch)

    def _spm_visit_log_rows(self):
        """Visits of the log book, oldest first."""
        return self.sorted(lambda visit: (visit.check_in_time or visit.planned_start, visit.id))
