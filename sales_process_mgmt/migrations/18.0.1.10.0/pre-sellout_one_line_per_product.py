"""A visit counts each product once, now by a unique index: the lines of one product that
an older version let a visit hold are merged into the last one before the index is made
(their sales summed, the stock as last counted). The merged lines are kept in a table of
the migration for the post-migration to recompute their consistency."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    if not openupgrade.table_exists(env.cr, "spm_sellout_report"):
        return
    env.cr.execute(
        SQL(
            """
            CREATE TABLE spm_sellout_report_merged AS
            SELECT MAX(id) AS id, SUM(qty_sold) AS qty_sold
              FROM spm_sellout_report
             GROUP BY visit_id, product_id
            HAVING COUNT(*) > 1
            """
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE spm_sellout_report report
               SET qty_sold = merged.qty_sold
              FROM spm_sellout_report_merged merged
             WHERE report.id = merged.id
            """
        )
    )
    env.cr.execute(
        SQL(
            """
            DELETE FROM spm_sellout_report report
             USING spm_sellout_report_merged merged, spm_sellout_report kept
             WHERE kept.id = merged.id
               AND report.visit_id = kept.visit_id
               AND report.product_id = kept.product_id
               AND report.id <> kept.id
            """
        )
    )
