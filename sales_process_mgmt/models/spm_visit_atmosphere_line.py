"""Store atmosphere audit (卖场氛围): one line per element of a visit.

The handbook builds a good store from four elements: POP, colour, music and the
behaviour of the staff (pop、色彩、音乐、服务人员行为). On a visit the rep scores each of
them from 1 (poor) to 5 (excellent), with a note; 0 means not scored yet and does not
count. A visit has at most one line per element.

Who writes the lines, and when (one check, ``_spm_check_can_audit``, on every path:
form, RPC, the Audit Atmosphere button):

- the visit's rep, while the visit is in progress (checked in, not yet checked out);
- once the visit is done, its lines are a record of the visit: reps no longer change or
  delete them; a sales manager may correct them, and the visit's chatter says so;
- nobody audits a visit that is planned, cancelled or missed.
"""

from collections import defaultdict

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, mute_logger

from .spm_protected_mixin import NOBODY

ATMOSPHERE_ELEMENTS = [
    ("pop", "POP"),
    ("colour", "Colour"),
    ("music", "Music"),
    ("staff", "Staff Behaviour"),
]
NOT_SCORED = "0"
ATMOSPHERE_SCORES = [
    (NOT_SCORED, "Not Scored"),
    ("1", "Poor"),
    ("2", "Fair"),
    ("3", "Acceptable"),
    ("4", "Good"),
    ("5", "Excellent"),
]
AUDIT_VISIT_STATES = ("in_progress", "done")
# Copied from the visit, for the analysis: never written by a client.
VISIT_COPY_FIELDS = (
    "company_id",
    "partner_id",
    "user_id",
    "region_id",
    "visit_date",
    "score_value",
    "scored",
)


class SpmVisitAtmosphereLine(models.Model):
    _name = "spm.visit.atmosphere.line"
    _description = "Store Atmosphere Audit Line"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "visit_date desc, visit_id desc, id"
    _rec_name = "element"
    _check_company_auto = True

    visit_id = fields.Many2one("spm.visit", required=True, index=True, ondelete="cascade")
    element = fields.Selection(ATMOSPHERE_ELEMENTS, required=True)
    score = fields.Selection(
        ATMOSPHERE_SCORES,
        required=True,
        default=NOT_SCORED,
        help="1 (poor) to 5 (excellent); an element not scored does not count.",
    )
    note = fields.Text(help="What the rep saw: what works, what to improve.")
    score_value = fields.Integer(
        string="Score (1-5)",
        compute="_compute_score_value",
        store=True,
        precompute=True,
        aggregator="avg",
    )
    scored = fields.Boolean(compute="_compute_score_value", store=True, precompute=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="visit_id.partner_id", string="Outlet", store=True, index=True
    )
    user_id = fields.Many2one(related="visit_id.user_id", string="Sales Rep", store=True)
    region_id = fields.Many2one(related="visit_id.region_id", store=True)
    # Not related to the visit's day: checking in and out must not touch the lines (their
    # cost on the hot path). A line is recorded once the visit is checked in, when its
    # day is fixed; a sales manager's correction of the check-in time dates the lines
    # again (spm_visit_atmosphere.py).
    visit_date = fields.Date(compute="_compute_visit_date", store=True, precompute=True, index=True)

    def init(self):
        """One line per element of a visit, even when two devices of the rep add the
        same element at the same moment."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_visit_atmosphere_line_element_uniq "
                "ON spm_visit_atmosphere_line (visit_id, element)"
            )
        )
        return res

    @api.depends("visit_id")
    def _compute_visit_date(self):
        for line in self:
            line.visit_date = line.visit_id.visit_date

    @api.depends("score")
    def _compute_score_value(self):
        for line in self:
            line.score_value = int(line.score or 0)
            line.scored = line.score_value > 0

    @api.depends("visit_id", "element")
    def _compute_display_name(self):
        elements = dict(self._fields["element"]._description_selection(self.env))
        for line in self:
            line.display_name = " · ".join(
                part for part in (line.visit_id.name, elements.get(line.element)) if part
            )

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------

    def _spm_input_prepare(self, vals):
        """A score sent as a number (as phones send it) is the same score as text; an
        empty score is not scored."""
        if "score" not in vals:
            return
        score = vals["score"]
        if score is None or score is False or score == "":
            vals["score"] = NOT_SCORED
        elif type(score) is int and str(score) in dict(ATMOSPHERE_SCORES):
            vals["score"] = str(score)

    def _spm_input_problem(self, field, value, wanted):
        valid = isinstance(value, str) and value in dict(ATMOSPHERE_SCORES)
        if field.name == "score" and not valid:
            return self.env._(
                "%(field)s of %(model)s must be a score from 1 (poor) to 5 (excellent), or "
                "0 for not scored, not %(value)s.",
                field=field._description_string(self.env),
                model=self._description,
                value=repr(value),
            )
        return super()._spm_input_problem(field, value, wanted)

    def _spm_protected_fields(self):
        protected = dict.fromkeys(VISIT_COPY_FIELDS, NOBODY)
        if self:
            # a line scores one element of one visit: to audit another, add a line
            protected.update(visit_id=NOBODY, element=NOBODY)
        return protected

    def _spm_protected_hint(self):
        return self.env._(
            "The visit, outlet, rep and date of an atmosphere line are those of its visit; "
            "to score another element, add a line for it."
        )

    # ------------------------------------------------------------------
    # Who audits, and when
    # ------------------------------------------------------------------

    @api.model
    def _spm_check_can_audit(self, visits):
        """The one rule for writing atmosphere lines of ``visits`` (see the module
        docstring)."""
        visits.check_access("read")
        is_manager = visits._spm_is_manager()
        for visit in visits:
            if not is_manager and visit.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Visit %(visit)s is %(rep)s's visit: only the rep of a visit audits "
                        "the store atmosphere on it.",
                        visit=visit.display_name,
                        rep=visit.user_id.name,
                    )
                )
            if visit.state not in AUDIT_VISIT_STATES:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: the store atmosphere is audited at "
                        "the customer, during a visit checked in.",
                        visit=visit.display_name,
                        state=visit._spm_state_label(),
                    )
                )
            if visit.state == "done" and not is_manager:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is done: its atmosphere audit is a record of the "
                        "visit and can no longer be changed by a rep. Ask a sales manager "
                        "to correct it.",
                        visit=visit.display_name,
                    )
                )
        visits.check_access("write")

    def _spm_check_new_elements(self, vals_list):
        """Each element at most once per visit, counting the lines being created."""
        elements = dict(self._fields["element"]._description_selection(self.env))
        taken = defaultdict(set)
        visit_ids = {vals["visit_id"] for vals in vals_list}
        for line in self.sudo().search_fetch([("visit_id", "in", list(visit_ids))], ["element"]):
            taken[line.visit_id.id].add(line.element)
        for vals in vals_list:
            element = vals.get("element")
            if not element:
                raise ValidationError(
                    self.env._(
                        "Choose the element of the atmosphere line: %(elements)s.",
                        elements=", ".join(elements.values()),
                    )
                )
            if element in taken[vals["visit_id"]]:
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s already scores %(element)s: each element of the "
                        "store atmosphere is scored once per visit. Change the score of "
                        "that line instead.",
                        visit=self.env["spm.visit"].browse(vals["visit_id"]).display_name,
                        element=elements[element],
                    )
                )
            taken[vals["visit_id"]].add(element)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not all(vals.get("visit_id") for vals in vals_list):
            raise UserError(
                self.env._("An atmosphere line belongs to a visit: open the visit first.")
            )
        visits = self.env["spm.visit"].browse({vals["visit_id"] for vals in vals_list})
        self._spm_check_can_audit(visits)
        self._spm_check_new_elements(vals_list)
        try:
            # the index refuses a line another device added since the check above
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                lines = super().create(vals_list)
        except UniqueViolation as error:
            raise ValidationError(
                self.env._(
                    "This element of the store atmosphere has just been scored on visit "
                    "%(visit)s from another device or tab: reload the visit and change "
                    "that score instead.",
                    visit=", ".join(visits.mapped("display_name")),
                )
            ) from error
        lines._spm_log_on_done_visits(
            lambda line: self.env._(
                "%(element)s scored %(score)s", element=line._spm_label(), score=line.score
            )
        )
        return lines

    def write(self, vals):
        self._spm_check_can_audit(self.visit_id)
        before = {line: (line.score, line.note) for line in self}
        res = super().write(vals)
        self._spm_log_on_done_visits(lambda line: line._spm_describe_change(*before[line]))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        self._spm_check_can_audit(self.visit_id)
        self._spm_log_on_done_visits(
            lambda line: self.env._("%(element)s removed", element=line._spm_label())
        )

    def _spm_describe_change(self, old_score, old_note):
        self.ensure_one()
        if self.score != old_score:
            return self.env._(
                "%(element)s %(old)s → %(new)s",
                element=self._spm_label(),
                old=old_score,
                new=self.score,
            )
        if (self.note or "") != (old_note or ""):
            return self.env._("%(element)s note changed", element=self._spm_label())
        return None

    def _spm_label(self):
        self.ensure_one()
        return dict(self._fields["element"]._description_selection(self.env))[self.element]

    def _spm_log_on_done_visits(self, describe):
        """A sales manager's change to the audit of a done visit is logged on the
        visit: ``describe(line)`` says what changed (``None``: nothing). Demo data and
        the app's own flows (the superuser) are not corrections."""
        if self.env.su:
            return
        changes = defaultdict(list)
        for line in self.filtered(lambda line: line.visit_id.state == "done"):
            change = describe(line)
            if change:
                changes[line.visit_id].append(change)
        for visit, lines in changes.items():
            visit.message_post(
                body=self.env._(
                    "Atmosphere audit corrected by %(user)s: %(changes)s.",
                    user=self.env.user.name,
                    changes="; ".join(lines),
                )
            )
