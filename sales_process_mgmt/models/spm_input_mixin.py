"""Bad input: one check of the values a client sends, for the whole addon.

An RPC client, an import or a script can send any JSON value for any field. Odoo's ORM
takes many wrong values to the database and fails there (a psycopg2 error quoting the
SQL, ``TypeError``, ``ValueError``, "Expected singleton"), or silently turns them into
something else (``bool('no')`` is true). The addon refuses them first, with a
``ValidationError`` naming the field by its label and saying what it expects.

Which fields: every field of a model whose ``_name`` starts with ``spm.`` (except the
magic columns and the chatter and activity fields of ``mail.thread`` and
``mail.activity.mixin``, which core handles), and every ``spm_`` field of the core models
the addon extends. A model opts in by inheriting ``spm.input.mixin`` (``res.company`` and
``res.config.settings`` too, for their ``spm_`` settings).

What is expected, per field type (``False`` / ``None`` always means "empty", except
for the required checks the ORM makes anyway):

- many2one: the id (a whole number, not a boolean, not a list) of an existing record of
  the comodel; the ids of one call are checked with one query per comodel, for the ids
  not already read or created in the transaction;
- one2many / many2many: a list of ids or of well-formed commands (``Command.*`` or
  ``(code, id, values)`` tuples), whose ids exist;
- integer: a whole number within PostgreSQL's integer range; float / monetary: a finite
  number; booleans are refused for both;
- char / text / html: a string, of at most ``size`` characters where the field says so;
- selection: one of the field's values; date / datetime: a date (time) object or a
  string in Odoo's format that names a real day (``2026-02-30`` is refused);
- boolean: ``True`` / ``False`` (or 0 / 1); unknown field names are refused as well.

When: before anything else in ``create`` and ``write``. The models' own overrides read
the values (to browse a customer, to compare dates) and would fail on them first, so the
mixin's ``_register_hook`` puts the check on top of each model's ``create`` and ``write``
(as ``base_automation`` does for its rules). The mixin's own ``create`` / ``write``,
reached through the normal inheritance, check as well whenever that top check is missing
(while the module is being installed, or after another module removed the patch), so the
values are checked exactly once on every path.

A model may normalise values clients commonly send in another form before the check
through ``_spm_input_prepare(vals)`` (e.g. a payday sent as the number 15).
"""

import base64
import binascii
import math
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.models import MAGIC_COLUMNS, BaseModel, NewId

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Fields whose values core validates itself (chatter, followers, activities).
CORE_MIXINS = ("mail.thread", "mail.activity.mixin")
X2MANY_ID_COMMANDS = (Command.DELETE, Command.UNLINK, Command.LINK)
ID_TYPES = (int, NewId)
# Types for which the ORM reads an empty string as "no value".
EMPTY_STRING_TYPES = ("char", "text", "html", "selection", "date", "datetime", "binary")


def _is_finite_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _converts(convert, value, types):
    """Whether ``value`` is of one of ``types`` and ``convert`` accepts it."""
    if not isinstance(value, types):
        return False
    try:
        convert(value)
    except (TypeError, ValueError, binascii.Error):
        return False
    return True


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _not_loaded_ids(records):
    """The ids of ``records`` not known to exist in this transaction. A record with a
    stored value in cache was read from the database or created in this transaction
    (the cache forgets every record as soon as anything is deleted): only the others
    cost a query to check."""
    cache = records.env.cache
    unknown = set(records._ids)
    for field in records._fields.values():
        if not unknown:
            break
        if field.store and field.column_type and field.name != "id":
            unknown.intersection_update(cache.get_missing_ids(records.browse(unknown), field))
    return list(unknown)


def _checked(method):
    """Whether ``method`` (a model class attribute) is, or wraps, the top check."""
    while method is not None:
        if getattr(method, "_spm_input_check", False):
            return True
        method = getattr(method, "origin", None)
    return False


class SpmInputMixin(models.AbstractModel):
    _name = "spm.input.mixin"
    _description = "Wrong-typed values refused with a message naming the field"

    # ------------------------------------------------------------------
    # Which fields, and the hook for values sent in another form
    # ------------------------------------------------------------------
    def _spm_input_checks_field(self, fname):
        if fname.startswith("spm_"):
            return True
        if not self._name.startswith("spm.") or fname in MAGIC_COLUMNS or fname == "display_name":
            return False
        return not any(
            fname in self.env.registry[mixin]._fields
            for mixin in CORE_MIXINS
            if mixin in self.env.registry and isinstance(self, self.env.registry[mixin])
        )

    def _spm_input_prepare(self, vals):
        """Normalise, in place, values clients send in another accepted form."""

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------
    def _spm_check_input(self, vals_list):
        """Refuse wrong-typed values of ``vals_list`` (a list of create/write dicts)
        with one ``ValidationError`` listing every wrong field."""
        problems = []
        wanted = {}  # comodel -> {id: [field, ...]}: existence checked once per comodel
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise ValidationError(
                    self.env._(
                        "%(model)s expects its values as a mapping of field names to "
                        "values, not %(value)s.",
                        model=self._description,
                        value=_show(vals),
                    )
                )
            self._spm_input_prepare(vals)
            for fname, value in vals.items():
                if not self._spm_input_checks_field(fname):
                    continue
                field = self._fields.get(fname)
                if field is None:
                    problems.append(
                        self.env._(
                            "%(model)s has no field %(field)s.",
                            model=self._description,
                            field=_show(fname),
                        )
                    )
                    continue
                if value is None or value is False:
                    continue
                if value == "" and field.type in EMPTY_STRING_TYPES:
                    continue
                problem = self._spm_input_problem(field, value, wanted)
                if problem:
                    problems.append(problem)
        problems += self._spm_input_missing(wanted)
        if problems:
            raise ValidationError("\n".join(dict.fromkeys(problems)))

    def _spm_input_problem(self, field, value, wanted):
        """The message for a wrong ``value`` of ``field``, else ``None``; ids to check
        for existence are added to ``wanted``."""
        ftype = field.type
        checker = getattr(self, f"_spm_input_check_{ftype}", None)
        if checker is None:
            return None
        expected = checker(field, value, wanted)
        if not expected:
            return None
        return self.env._(
            "%(field)s of %(model)s must be %(expected)s, not %(value)s.",
            field=field._description_string(self.env),
            model=self._description,
            expected=expected,
            value=_show(value),
        )

    def _spm_input_ids(self, field, comodel, ids, wanted):
        """Queue ``ids`` for the existence check; the expectation if one is no id."""
        for id_ in ids:
            if isinstance(id_, NewId):
                continue
            if not isinstance(id_, int) or isinstance(id_, bool) or not 0 < id_ <= INT_MAX:
                return False
            wanted.setdefault(comodel, {}).setdefault(id_, []).append(field)
        return True

    def _spm_input_check_many2one(self, field, value, wanted):
        comodel = field.comodel_name
        if isinstance(value, BaseModel):
            if value._name == comodel and len(value) <= 1:
                return None
        elif isinstance(value, ID_TYPES) and not isinstance(value, bool):
            if value == 0 or self._spm_input_ids(field, comodel, [value], wanted):
                return None
        return self.env._(
            "the id (a whole number) of an existing %(comodel)s",
            comodel=self.env[comodel]._description,
        )

    def _spm_input_check_x2many(self, field, value, wanted):
        comodel = field.comodel_name
        if isinstance(value, BaseModel) and value._name == comodel:
            return None
        if isinstance(value, (list, tuple)):
            if not value or self._spm_input_commands(field, value, wanted):
                return None
        return self.env._(
            "a list of ids of existing %(comodel)s records or of commands such as Command.set(ids)",
            comodel=self.env[comodel]._description,
        )

    _spm_input_check_one2many = _spm_input_check_x2many
    _spm_input_check_many2many = _spm_input_check_x2many

    def _spm_input_commands(self, field, value, wanted):
        if not isinstance(value[0], (list, tuple)):
            # a plain list of ids, read as Command.set(ids)
            return self._spm_input_ids(field, field.comodel_name, value, wanted)
        return all(self._spm_input_command(field, command, wanted) for command in value)

    def _spm_input_command(self, field, command, wanted):
        if (
            not isinstance(command, (list, tuple))
            or not command
            or not isinstance(command[0], int)
            or isinstance(command[0], bool)
        ):
            return False
        code, args = command[0], command[1:]
        comodel = field.comodel_name
        if code == Command.CREATE:
            return len(args) == 2 and isinstance(args[1], dict)
        if code == Command.UPDATE:
            return (
                len(args) == 2
                and isinstance(args[1], dict)
                and self._spm_input_ids(field, comodel, args[:1], wanted)
            )
        if code in X2MANY_ID_COMMANDS:
            return bool(args) and self._spm_input_ids(field, comodel, args[:1], wanted)
        if code == Command.SET:
            return (
                len(args) == 2
                and isinstance(args[1], (list, tuple))
                and self._spm_input_ids(field, comodel, args[1], wanted)
            )
        return code == Command.CLEAR

    def _spm_input_missing(self, wanted):
        problems = []
        for comodel, ids in wanted.items():
            records = self.env[comodel].browse(list(ids))
            unknown = records.browse(_not_loaded_ids(records))
            found = (set(ids) - set(unknown._ids)) | set(unknown.exists()._ids)
            for id_, field_list in ids.items():
                if id_ in found:
                    continue
                for field in dict.fromkeys(field_list):
                    problems.append(
                        self.env._(
                            "%(field)s of %(model)s: there is no %(comodel)s with the id %(id)s.",
                            field=field._description_string(self.env),
                            model=self._description,
                            comodel=self.env[comodel]._description,
                            id=id_,
                        )
                    )
        return problems

    def _spm_input_check_integer(self, field, value, wanted):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.env._("a whole number")
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            return self.env._("a whole number")
        if not INT_MIN <= value <= INT_MAX:
            return self.env._(
                "a whole number between %(min)s and %(max)s", min=INT_MIN, max=INT_MAX
            )
        return None

    def _spm_input_check_float(self, field, value, wanted):
        if _is_finite_number(value):
            return None
        return self.env._("a finite number")

    _spm_input_check_monetary = _spm_input_check_float

    def _spm_input_check_char(self, field, value, wanted):
        if not isinstance(value, str):
            return self.env._("text")
        if field.type == "char" and field.size and len(value) > field.size:
            return self.env._(
                "a text of at most %(size)s characters (this one has %(length)s)",
                size=field.size,
                length=len(value),
            )
        return None

    _spm_input_check_text = _spm_input_check_char
    _spm_input_check_html = _spm_input_check_char

    def _spm_input_check_boolean(self, field, value, wanted):
        if isinstance(value, bool) or (type(value) is int and value in (0, 1)):
            return None
        return self.env._("true or false")

    def _spm_input_check_selection(self, field, value, wanted):
        selection = field._description_selection(self.env)
        if isinstance(value, str) and value in dict(selection):
            return None
        return self.env._(
            "one of %(allowed)s",
            allowed=", ".join(
                key if str(label) == key else f"{key} ({label})" for key, label in selection
            ),
        )

    def _spm_input_check_date(self, field, value, wanted):
        expected = self.env._("a date that exists, written YYYY-MM-DD")
        return None if _converts(fields.Date.to_date, value, (str, date)) else expected

    def _spm_input_check_datetime(self, field, value, wanted):
        expected = self.env._("a date and time that exist, written YYYY-MM-DD HH:MM:SS")
        return None if _converts(fields.Datetime.to_datetime, value, (str, datetime)) else expected

    def _spm_input_check_binary(self, field, value, wanted):
        expected = self.env._("a file encoded in base64")
        return None if _converts(base64.b64decode, value, (str, bytes)) else expected

    # ------------------------------------------------------------------
    # Before anything else in create and write
    # ------------------------------------------------------------------
    def _register_hook(self):
        super()._register_hook()
        if self._abstract:
            return
        model_class = self.env.registry[self._name]
        if not _checked(model_class.create):

            @api.model_create_multi
            def create(self, vals_list):
                self._spm_check_input(vals_list)
                return create.origin(self, vals_list)

            create.origin = model_class.create
            create._spm_input_check = True
            model_class.create = create
        if not _checked(model_class.write):

            def write(self, vals):
                self._spm_check_input([vals])
                return write.origin(self, vals)

            write.origin = model_class.write
            write._spm_input_check = True
            model_class.write = write

    @api.model_create_multi
    def create(self, vals_list):
        if not _checked(type(self).create):
            self._spm_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not _checked(type(self).write):
            self._spm_check_input([vals])
        return super().write(vals)
