from odoo import fields, models
from odoo.tools import SQL

from .spm_ageing import AGEING_BUCKETS, age_bucket_sql


class SpmCollectionAgeingReport(models.Model):
    """Open collection tasks by days overdue, in company currency."""

    _name = "spm.collection.ageing.report"
    _description = "Collection Ageing"
    _auto = False
    _order = "days_overdue desc"

    task_id = fields.Many2one("spm.collection.task", string="Collection Task", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("promised", "Promised"), ("escalated", "Escalated")], readonly=True
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGEING_BUCKETS, string="Ageing", readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT task.id,
                   task.id AS task_id,
                   task.partner_id,
                   task.user_id,
                   task.team_id,
                   task.company_id,
                   company.currency_id,
                   task.state,
                   task.date_due,
                   GREATEST(%(today)s - task.date_due, 0) AS days_overdue,
                   %(bucket)s AS bucket,
                   task.amount_residual_signed AS amount_residual
              FROM spm_collection_task task
              JOIN res_company company ON company.id = task.company_id
             WHERE task.state IN ('open', 'promised', 'escalated')
            """,
            today=today,
            bucket=age_bucket_sql(SQL("%s - task.date_due", today)),
        )
