"""The companies of an upgraded database get the default service levels of after-sales
requests, as a company does at install or when it is created."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env["spm.service.sla"]._spm_create_default_levels()
