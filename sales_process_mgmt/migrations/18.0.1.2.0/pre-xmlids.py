"""XML ids follow one convention: scheduled actions ``ir_cron_spm_<job>`` (the job is
the method ``_cron_<job>``), reports ``spm_<subject>_report``. The records keep their
database ids, so the cron keeps its next call and a bookmarked report its id."""

from openupgradelib import openupgrade

RENAMED = [
    ("sales_process_mgmt.spm_collection_task_cron", "sales_process_mgmt.ir_cron_spm_refresh_tasks"),
    ("sales_process_mgmt.action_report_spm_visit_log", "sales_process_mgmt.spm_visit_log_report"),
]


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.rename_xmlids(env.cr, RENAMED)
