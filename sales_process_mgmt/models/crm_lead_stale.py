from odoo import fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Stale opportunities: open (not won, not lost) with no stage change, no message in
    the chatter and no activity created or due for the company's number of days (the
    funnel's 销售漏斗 leaks where nobody follows up)."""

    _inherit = "crm.lead"

    spm_last_touch = fields.Datetime(
        string="Last Worked On",
        compute="_compute_spm_stale",
        help="The latest stage change, chatter message, or activity created or due.",
    )
    spm_stale = fields.Boolean(
        string="Stale",
        compute="_compute_spm_stale",
        search="_search_spm_stale",
        help="Open, and nobody worked on it for the company's number of stale days.",
    )

    def _spm_last_touch_query(self):
        """(lead id, last touch, stale) of the open opportunities."""
        return SQL(
            """
            SELECT lead.id,
                   GREATEST(lead.date_last_stage_update, lead.create_date, touch.message,
                            touch.activity) AS last_touch,
                   GREATEST(lead.date_last_stage_update, lead.create_date, touch.message,
                            touch.activity)
                       < (now() AT TIME ZONE 'UTC')
                         - make_interval(days => COALESCE(company.spm_stale_days, 30))
                       AS stale
              FROM crm_lead lead
              LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
              LEFT JOIN res_company company ON company.id = lead.company_id
              LEFT JOIN LATERAL (
                  SELECT (SELECT MAX(message.date) FROM mail_message message
                           WHERE message.model = 'crm.lead' AND message.res_id = lead.id)
                             AS message,
                         (SELECT MAX(GREATEST(activity.create_date, activity.date_deadline))
                            FROM mail_activity activity
                           WHERE activity.res_model = 'crm.lead'
                             AND activity.res_id = lead.id) AS activity
              ) touch ON TRUE
             WHERE lead.type = 'opportunity' AND lead.active
               AND NOT COALESCE(stage.is_won, FALSE)
            """
        )

    def _compute_spm_stale(self):
        self.flush_model()
        rows = {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT * FROM (%s) touch WHERE touch.id IN %s",
                    self._spm_last_touch_query(),
                    tuple(self.ids),
                )
            )
            rows = {lead_id: (touch, stale) for lead_id, touch, stale in self.env.cr.fetchall()}
        for lead in self:
            lead.spm_last_touch, lead.spm_stale = rows.get(lead.id, (False, False))

    def _search_spm_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValueError(self.env._("Search stale opportunities with = True or = False."))
        stale = SQL(
            "(SELECT touch.id FROM (%s) touch WHERE touch.stale)", self._spm_last_touch_query()
        )
        return [("id", "in" if (operator == "=") == value else "not in", stale)]
