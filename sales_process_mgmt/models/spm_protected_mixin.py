"""Protected fields: one mechanism for the whole addon.

Some values prove or decide something: a visit's check-in, a collection task's state, an
order's approval, who made an observation. They are written only by the addon's own
actions and crons, never by a plain ``create`` / ``write`` / ``copy`` from a form or an RPC
client. A model that has such fields inherits ``spm.protected.mixin`` and lists them in
``_spm_protected_fields()``, each with who else may write it directly:

- ``MANAGER``: a sales manager (and the superuser, as crons run) may also write it, e.g.
  to correct a check-in time; a salesperson may not;
- ``NOBODY``: nobody may, managers and the superuser included.

The one bypass is ``records._spm_protected()``: the addon's actions and crons write
through it. It puts a Python object in the context, which no RPC client can send (a
context from JSON holds strings, numbers and lists only). Every other write of a
protected field is refused with an ``AccessError`` naming the fields and the way out
(``_spm_protected_hint()``). Writing the value a field already has is no change and is
accepted; at creation a protected field may take its default or no value (a
``default_<field>`` context key counts as a value written).
"""

from odoo import api, models
from odoo.exceptions import AccessError

from .spm_manager import is_sales_manager

MANAGER = "manager"
NOBODY = "nobody"

# Set by the addon's own code only, never by a client (see the module docstring).
_PROTECTED_WRITE = object()


def is_protected(env):
    """Whether ``env`` is one of the addon's own flows (see ``protected``)."""
    return env.context.get("spm_protected_write") is _PROTECTED_WRITE


def protected(records):
    """``records`` (of any model), for the addon's own flows to write protected fields,
    e.g. the order lines a core flow creates on their behalf."""
    return records.with_context(spm_protected_write=_PROTECTED_WRITE)


class SpmProtectedMixin(models.AbstractModel):
    _name = "spm.protected.mixin"
    _description = "Fields written only by the addon's actions"

    def _spm_protected_fields(self):
        """``{field name: MANAGER or NOBODY}``: see the module docstring."""
        return {}

    def _spm_protected_hint(self):
        """What the user should do instead, appended to the refusal."""
        return ""

    def _spm_protected_value_allowed(self, fname, value):
        """Whether this value of a protected field may be written directly anyway (e.g.
        an order may be cancelled, only its confirmation is protected)."""
        return False

    def _spm_protected(self):
        """These records, for the addon's own actions and crons to write protected
        fields."""
        return protected(self)

    def _spm_is_protected_write(self):
        return is_protected(self.env)

    def _spm_refused_fields(self, vals, creating=False):
        if self._spm_is_protected_write():
            return []
        protected = self._spm_protected_fields()
        names = [fname for fname in vals if fname in protected]
        if not names:
            return []
        is_manager = None
        refused = []
        for fname in names:
            value = vals[fname]
            if self._spm_protected_value_allowed(fname, value):
                continue
            if protected[fname] == MANAGER:
                if is_manager is None:
                    is_manager = is_sales_manager(self.env)
                if is_manager:
                    continue
            field = self._fields[fname]
            if creating:
                if not value or (
                    field.default and self._spm_same(field, field.default(self), value)
                ):
                    continue
            elif self and all(self._spm_same(field, record[fname], value) for record in self):
                continue
            refused.append(fname)
        return refused

    def _spm_same(self, field, current, value):
        """Whether ``value`` (as written) is the field's ``current`` value."""
        record = self[:1]
        try:
            return field.convert_to_cache(current, record) == field.convert_to_cache(value, record)
        except (TypeError, ValueError):
            return False

    def _spm_check_protected(self, vals, creating=False):
        refused = self._spm_refused_fields(vals, creating=creating)
        if not refused:
            return
        records = ", ".join(self.mapped("display_name")) if self else self._description
        message = self.env._(
            "%(records)s: %(fields)s cannot be written directly: they are set by the "
            "buttons and scheduled actions of the app.",
            records=records,
            fields=", ".join(
                sorted(self._fields[fname]._description_string(self.env) for fname in refused)
            ),
        )
        hint = self._spm_protected_hint()
        raise AccessError(f"{message} {hint}" if hint else message)

    @api.model_create_multi
    def create(self, vals_list):
        # The rules of a new record, not those of the records create is called on; a
        # ``default_<field>`` context key is a value written too.
        model = self.browse()
        defaults = {
            fname: self.env.context[f"default_{fname}"]
            for fname in model._spm_protected_fields()
            if f"default_{fname}" in self.env.context
        }
        for vals in vals_list:
            model._spm_check_protected({**defaults, **vals}, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._spm_check_protected(vals)
        return super().write(vals)
