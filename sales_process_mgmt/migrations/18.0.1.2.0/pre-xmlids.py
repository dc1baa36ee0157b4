"""XML ids follow one convention: scheduled actions ``ir_cron_spm_<job>`` (the job is
the method ``_cron_<job>``), reports ``spm_<subject>_report``. The records keep their
database ids, so the cron keeps its next call and a bookmarked report its id."""

from openupgradelib import openupgrade

RENAMED = [
    ("spm_collection_task_cron", "ir_cron_spm_refresh_tasks"),
    # the server action a cron runs is named after the cron
    ("spm_collection_task_cron_ir_actions_server", "ir_cron_spm_refresh_tasks_ir_actions_server"),
    ("action_report_spm_visit_log", "spm_visit_log_report"),
]


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.rename_xmlids(
        env.cr,
        [(f"sales_process_mgmt.{old}", f"sales_process_mgmt.{new}") for old, new in RENAMED],
    )
