"""Leak control (防止带走客户): the customer book is exported by sales managers only, and
every export of it is logged.

Which models: those whose class says ``_spm_export_guard = True``, the customer book —
customers and their contacts (``res.partner``, with their market archive, key people and
locations), the market archives (competitor products, PR records) and the dealers'
purchase/sales log (sell-out reports and their ledger).

The one gate is ``export_data``. The web client's export (``/web/export/csv`` and
``/web/export/xlsx``, "Export All" and grouped exports included) calls it, and so does an
RPC client; the rows are built by the private ``_export_rows``, which no client can call.
Exporting another model with columns of a guarded one (orders with their customer's phone,
``partner_id/phone``) exports the guarded model too; the guarded record's name alone
(``partner_id``, ``partner_id/name``, ``partner_id/id``) does not.

Who: a salesperson (``sales_team.group_sale_salesman``) who is not a sales manager is
refused with an ``AccessError``; reps still read the customers they may read. Everyone
else keeps Odoo's behaviour (Odoo's own export right, ``base.group_allow_export``, still
applies): sales managers, the superuser, users without sales rights (an accountant).

The log (``spm.export.log``): each export of a guarded model, allowed or refused, writes
one line per guarded model: who, when, the model, how many records, the columns, the
company. The lines of one transaction are merged before it commits (a grouped export calls
``export_data`` once per group; it is one export). A refusal's transaction is rolled back,
the error reaching the client: its line is then written in a transaction of its own, once
the rollback is done.
"""

import logging

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError
from odoo.models import fix_import_export_id_paths

from .spm_export_log import PENDING_KEY, model_name
from .spm_manager import is_sales_manager

_logger = logging.getLogger(__name__)

# What an exported column may read of a guarded record linked to the exported one: the
# record's name or its id, which the exported records show anyway.
NAME_COLUMNS = ((), ("id",), (".id",), ("display_name",), ("name",))


def export_refused(env):
    """Whether ``env``'s user is a salesperson who is not a sales manager."""
    return not is_sales_manager(env) and env.user.has_group("sales_team.group_sale_salesman")


def export_refusal(env, models):
    """The error refusing ``env``'s user the export of ``models`` (model names)."""
    return AccessError(
        env._(
            "Only a sales manager exports %(models)s: customers, their contacts and the "
            "market archives belong to the company. You can open and read them here; ask "
            "a sales manager for an export. This attempt is logged.",
            models=", ".join(model_name(env, model) for model in models),
        )
    )


def _write_after_rollback(registry, vals):
    """Write the log line ``vals`` of a refused export in a transaction of its own."""
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # the refusal's transaction may have created the user or the company (a
            # test, an import): they are gone with it, and so is what to log
            exist = (
                env["res.users"].browse(vals["user_id"]).exists()
                and env["res.company"].browse(vals["company_id"]).exists()
            )
            if exist:
                env["spm.export.log"]._spm_protected().create(vals)
    except Exception:
        _logger.exception("Could not log a refused export: %s", vals)


class Base(models.AbstractModel):
    _inherit = "base"

    # the customer book: exported by sales managers only, every export logged
    _spm_export_guard = False

    def export_data(self, fields_to_export):
        exports = self._spm_guarded_exports(fields_to_export)
        if not exports:
            return super().export_data(fields_to_export)
        if export_refused(self.env):
            self._spm_log_exports(exports, refused=True)
            raise export_refusal(self.env, exports)
        result = super().export_data(fields_to_export)
        self._spm_log_exports(exports)
        return result

    def _spm_guarded_exports(self, fields_to_export):
        """``{guarded model: (ids of its records read by the export, [columns])}`` for
        the columns ``fields_to_export`` of these records."""
        exports = {}
        for column in fields_to_export:
            hop = self._spm_guarded_hop(fix_import_export_id_paths(column))
            if hop is None:
                continue
            relation, model = hop
            ids, columns = exports.setdefault(model, (set(), []))
            ids.update(self.mapped(".".join(relation))._ids if relation else self._ids)
            columns.append(column)
        return exports

    def _spm_guarded_hop(self, path):
        """``(relation path, guarded model)`` when the exported column ``path`` (a list
        of field names) reads a guarded record beyond its name, else ``None``."""
        if self._spm_export_guard:
            return (), self._name
        model = self
        for index, fname in enumerate(path[:-1]):
            field = model._fields.get(fname)
            if field is None or not field.relational:
                return None
            model = self.env[field.comodel_name]
            if model._spm_export_guard:
                if tuple(path[index + 1 :]) in NAME_COLUMNS:
                    return None
                return path[: index + 1], model._name
        return None

    def _spm_log_exports(self, exports, refused=False):
        """Queue the log lines of ``exports`` for the end of the transaction; a refused
        export's line is written after a rollback too (see the module docstring)."""
        Log = self.env["spm.export.log"].sudo()
        cr = self.env.cr
        if refused:
            for model, (ids, columns) in exports.items():
                vals = Log._spm_log_values(
                    model,
                    columns,
                    uid=self.env.uid,
                    company_id=self.env.company.id,
                    count=len(ids),
                    refused=True,
                )
                cr.postrollback.add(lambda vals=vals: _write_after_rollback(Log.pool, vals))
        if PENDING_KEY not in cr.precommit.data:
            cr.precommit.add(Log._spm_write_pending)
        pending = cr.precommit.data.setdefault(PENDING_KEY, {})
        for model, (ids, columns) in exports.items():
            key = (self.env.uid, self.env.company.id, model, refused)
            known_ids, known_columns = pending.setdefault(key, (set(), {}))
            known_ids.update(ids)
            known_columns.update(dict.fromkeys(columns))
