from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import float_compare

from .spm_protected_mixin import NOBODY

ATMOSPHERE_TRENDS = [("up", "Rising"), ("flat", "Steady"), ("down", "Falling")]
# Computed from the visits' audits: never written by a client.
ATMOSPHERE_FIELDS = (
    "spm_atmosphere_score",
    "spm_atmosphere_previous_score",
    "spm_atmosphere_trend",
    "spm_atmosphere_date",
    "spm_atmosphere_poor",
)
SCORE_DIGITS = 2


class ResPartner(models.Model):
    """The store atmosphere of an outlet (卖场氛围): its latest audit, the trend since the
    audit before, and a flag when it is below the company's threshold."""

    _inherit = "res.partner"

    spm_atmosphere_score = fields.Float(
        string="Atmosphere Score",
        compute="_compute_spm_atmosphere",
        store=True,
        precompute=True,
        digits=(3, SCORE_DIGITS),
        aggregator="avg",
        help="Average score (1 to 5) of the latest visit that audited the store atmosphere.",
    )
    spm_atmosphere_previous_score = fields.Float(
        string="Previous Atmosphere Score",
        compute="_compute_spm_atmosphere",
        store=True,
        precompute=True,
        digits=(3, SCORE_DIGITS),
        aggregator=None,
        help="Score of the audit before the latest one.",
    )
    spm_atmosphere_trend = fields.Selection(
        ATMOSPHERE_TRENDS,
        string="Atmosphere Trend",
        compute="_compute_spm_atmosphere",
        store=True,
        precompute=True,
        help="The latest audit against the one before.",
    )
    spm_atmosphere_date = fields.Date(
        string="Atmosphere Audited On",
        compute="_compute_spm_atmosphere",
        store=True,
        precompute=True,
    )
    spm_atmosphere_poor = fields.Boolean(
        string="Poor Atmosphere",
        compute="_compute_spm_atmosphere_poor",
        store=True,
        precompute=True,
        help="The latest atmosphere score is below the company's threshold.",
    )

    # On the visits' scores only, not on their state nor day: checking in and out
    # must not recompute the customer (their cost on the hot path). A visit is audited
    # once checked in, when its day is fixed; a sales manager's correction of the
    # check-in time recomputes (spm_visit_atmosphere.py).
    @api.depends("spm_visit_ids.atmosphere_score")
    def _compute_spm_atmosphere(self):
        """The two latest visits with an atmosphere score, latest day first (the
        later check-in first within a day)."""
        audits = defaultdict(list)
        partners = self._origin
        if partners:
            visits = (
                self.env["spm.visit"]
                .sudo()
                .search_fetch(
                    [
                        ("partner_id", "in", partners.ids),
                        ("atmosphere_score", ">", 0),
                    ],
                    ["partner_id", "atmosphere_score", "visit_date"],
                    order="visit_date desc, check_in_time desc, id desc",
                )
            )
            for visit in visits:
                if len(audits[visit.partner_id.id]) < 2:
                    audits[visit.partner_id.id].append(visit)
        for partner in self:
            latest, previous = [*audits.get(partner._origin.id, []), None, None][:2]
            partner.spm_atmosphere_score = latest.atmosphere_score if latest else 0.0
            partner.spm_atmosphere_date = latest.visit_date if latest else False
            partner.spm_atmosphere_previous_score = previous.atmosphere_score if previous else 0.0
            if not previous:
                partner.spm_atmosphere_trend = False
                continue
            partner.spm_atmosphere_trend = {1: "up", 0: "flat", -1: "down"}[
                float_compare(
                    latest.atmosphere_score,
                    previous.atmosphere_score,
                    precision_digits=SCORE_DIGITS,
                )
            ]

    @api.depends("spm_atmosphere_score", "company_id")
    def _compute_spm_atmosphere_poor(self):
        for partner in self:
            threshold = (partner.company_id or self.env.company).spm_atmosphere_threshold
            partner.spm_atmosphere_poor = bool(partner.spm_atmosphere_date) and (
                float_compare(
                    partner.spm_atmosphere_score, threshold, precision_digits=SCORE_DIGITS
                )
                < 0
            )

    @api.model
    def _spm_recompute_atmosphere_poor(self, companies):
        """The threshold of ``companies`` changed: flag their audited outlets again (and
        the shared ones, which follow the current company)."""
        company_domain = [("company_id", "in", companies.ids)]
        if self.env.company in companies:
            company_domain = expression.OR([company_domain, [("company_id", "=", False)]])
        partners = self.with_context(active_test=False).search(
            [("spm_atmosphere_date", "!=", False), *company_domain]
        )
        self.env.add_to_compute(self._fields["spm_atmosphere_poor"], partners)
        partners.flush_recordset(["spm_atmosphere_poor"])
        return partners

    def _spm_protected_fields(self):
        return {**super()._spm_protected_fields(), **dict.fromkeys(ATMOSPHERE_FIELDS, NOBODY)}

    def _spm_protected_hint(self):
        hint = self.env._(
            "The atmosphere score, its trend and the poor-atmosphere flag come from the "
            "atmosphere audits of the customer's visits."
        )
        parent = super()._spm_protected_hint()
        return f"{parent} {hint}" if parent else hint
