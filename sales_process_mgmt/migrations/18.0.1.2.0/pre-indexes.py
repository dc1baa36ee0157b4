"""Index names follow one convention: ``<table>_<what>_idx``, ``_uniq`` for a unique
one. The index keeps its definition; only its name changes."""

from openupgradelib import openupgrade

from odoo.tools import SQL
from odoo.tools.sql import index_exists

RENAMED = [("spm_discount_policy_one_per_scope", "spm_discount_policy_one_per_scope_uniq")]


@openupgrade.migrate()
def migrate(env, version):
    for old, new in RENAMED:
        if index_exists(env.cr, old) and not index_exists(env.cr, new):
            env.cr.execute(
                SQL("ALTER INDEX %s RENAME TO %s", SQL.identifier(old), SQL.identifier(new))
            )
