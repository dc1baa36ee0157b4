"""Customers and visits from before the atmosphere audit have no audit: their atmosphere
fields start empty (what their computation gives without an audit), rather than being
computed for every customer and visit of the database during the upgrade."""

from openupgradelib import openupgrade

from odoo.tools.sql import column_exists, create_column

COLUMNS = [
    ("res_partner", "spm_atmosphere_score", "numeric"),
    ("res_partner", "spm_atmosphere_previous_score", "numeric"),
    ("res_partner", "spm_atmosphere_trend", "varchar"),
    ("res_partner", "spm_atmosphere_date", "date"),
    ("res_partner", "spm_atmosphere_poor", "boolean"),
    ("spm_visit", "atmosphere_score", "numeric"),
]


@openupgrade.migrate()
def migrate(env, version):
    for table, column, sql_type in COLUMNS:
        if not column_exists(env.cr, table, column):
            create_column(env.cr, table, column, sql_type)
