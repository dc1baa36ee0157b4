"""The sell-out lines merged by the pre-migration: their consistency is recomputed, and
so is that of the later reports of the same customer and product, which compare with
them."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    if not openupgrade.table_exists(env.cr, "spm_sellout_report_merged"):
        return
    env.cr.execute(
        SQL(
            """
            SELECT later.id
              FROM spm_sellout_report_merged merged
              JOIN spm_sellout_report kept ON kept.id = merged.id
              JOIN spm_sellout_report later
                ON later.partner_id = kept.partner_id
               AND later.product_id = kept.product_id
               AND (later.date, later.id) >= (kept.date, kept.id)
            """
        )
    )
    Report = env["spm.sellout.report"]
    reports = Report.browse({row[0] for row in env.cr.fetchall()})
    env.add_to_compute(Report._fields["inconsistent"], reports)
    env.add_to_compute(Report._fields["inconsistency_note"], reports)
    Report.flush_model(["inconsistent", "inconsistency_note"])
    env.cr.execute(SQL("DROP TABLE spm_sellout_report_merged"))
