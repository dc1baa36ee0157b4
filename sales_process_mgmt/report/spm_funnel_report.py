from odoo import fields, models
from odoo.tools import SQL

from .spm_collection_report import _ratio


class SpmFunnelReport(models.Model):
    """The sales funnel 销售漏斗: one row per opportunity and stage it reached, from the
    stage history Odoo tracks on each opportunity.

    An opportunity counts once in every stage up to the highest it ever reached (by
    stage sequence), so one that skipped a stage counts in the skipped stage too, and
    one that went back counts once. Conversion from a stage is the share of its
    opportunities that reached a later stage; days per stage are the time spent there
    (until now for the current stage), averaged over the opportunities that stayed
    there. Lost and archived opportunities count in the stages they reached."""

    _name = "spm.funnel.report"
    _inherit = ["spm.ratio.report.mixin"]
    _description = "Sales Funnel Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "date desc, stage_sequence"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    date = fields.Datetime(string="Created On", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=None)
    lead_count = fields.Integer(string="Opportunities", readonly=True)
    expected_revenue = fields.Float(string="Value", readonly=True)
    advanced_count = fields.Integer(
        string="Went Further", readonly=True, help="Opportunities that reached a later stage."
    )
    stayed_count = fields.Integer(
        string="Stayed", readonly=True, help="Opportunities that were in the stage (not skipped)."
    )
    stage_days = fields.Float(string="Days in Stage (total)", readonly=True)
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg")
    avg_days = fields.Float(string="Average Days in Stage", readonly=True, aggregator="avg")
    won = fields.Boolean(readonly=True)
    lost = fields.Boolean(readonly=True, help="Lost or archived.")

    @property
    def _table_query(self):
        return SQL(
            "WITH %s SELECT %s %s",
            SQL(", ").join(
                SQL("%s AS (%s)", SQL.identifier(name), query) for name, query in self._with_parts()
            ),
            self._select(),
            self._from(),
        )

    def _spm_ratios(self):
        return {
            "conversion_rate": (
                ("advanced_count", "lead_count"),
                lambda row: _ratio(row, "advanced_count", "lead_count", 100.0),
            ),
            "avg_days": (
                ("stage_days", "stayed_count"),
                lambda row: _ratio(row, "stage_days", "stayed_count"),
            ),
        }

    def _with_parts(self):
        return [
            ("stage", self._stages()),
            ("stay", self._stays()),
            ("reached", self._reached()),
        ]

    def _stages(self):
        return SQL(
            "SELECT id, team_id, sequence, is_won, "
            "ROW_NUMBER() OVER (ORDER BY sequence, id) AS position FROM crm_stage"
        )

    def _stays(self):
        """Each stay of an opportunity in a stage: from its creation in its first stage
        (the old value of its first stage change, else its stage), then from each
        change to the next (the last until now), in days."""
        field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        return SQL(
            """
            SELECT lead_id, stage_id,
                   EXTRACT(EPOCH FROM COALESCE(LEAD(start) OVER (
                       PARTITION BY lead_id ORDER BY start, step), %(now)s) - start
                   ) / 86400.0 AS days
              FROM (
                SELECT lead.id AS lead_id, COALESCE(first_change.old_stage, lead.stage_id)
                       AS stage_id, lead.create_date AS start, 0 AS step
                  FROM crm_lead lead
                  LEFT JOIN LATERAL (
                      SELECT value.old_value_integer AS old_stage
                        FROM mail_message message
                        JOIN mail_tracking_value value ON value.mail_message_id = message.id
                             AND value.field_id = %(field)s
                       WHERE message.model = 'crm.lead' AND message.res_id = lead.id
                       ORDER BY message.date, message.id
                       LIMIT 1
                  ) first_change ON TRUE
                 WHERE lead.type = 'opportunity'
                UNION ALL
                SELECT message.res_id, value.new_value_integer, message.date, message.id
                  FROM mail_message message
                  JOIN mail_tracking_value value ON value.mail_message_id = message.id
                       AND value.field_id = %(field)s
                 WHERE message.model = 'crm.lead'
              ) change
            """,
            field=field.id,
            now=SQL("(now() AT TIME ZONE 'UTC')"),
        )

    def _reached(self):
        """The highest stage (by sequence) each opportunity was ever in."""
        return SQL(
            """
            SELECT stay.lead_id, MAX(stage.position) AS top
              FROM stay JOIN stage ON stage.id = stay.stage_id
             GROUP BY stay.lead_id
            """
        )

    def _select(self):
        return SQL(
            """
            lead.id::bigint * 100000 + stage.id AS id,
            lead.id AS lead_id, lead.create_date AS date, lead.user_id, lead.team_id,
            lead.company_id, stage.id AS stage_id, stage.sequence AS stage_sequence,
            1 AS lead_count, lead.expected_revenue,
            CASE WHEN stage.position < reached.top THEN 1 ELSE 0 END AS advanced_count,
            CASE WHEN time_in.days IS NULL THEN 0 ELSE 1 END AS stayed_count,
            COALESCE(time_in.days, 0) AS stage_days,
            CASE WHEN stage.position < reached.top THEN 100.0 ELSE 0 END AS conversion_rate,
            time_in.days AS avg_days,
            COALESCE(lead_stage.is_won, FALSE) AND lead.active AS won,
            NOT lead.active AS lost
            """
        )

    def _from(self):
        return SQL(
            """
            FROM crm_lead lead
            JOIN reached ON reached.lead_id = lead.id
            JOIN stage ON stage.position <= reached.top
                 AND (stage.team_id IS NULL OR stage.team_id = lead.team_id)
            LEFT JOIN stage lead_stage ON lead_stage.id = lead.stage_id
            LEFT JOIN (
                SELECT lead_id, stage_id, SUM(days) AS days FROM stay GROUP BY lead_id, stage_id
            ) time_in ON time_in.lead_id = lead.id AND time_in.stage_id = stage.id
            WHERE lead.type = 'opportunity'
            """
        )
