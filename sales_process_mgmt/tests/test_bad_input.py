"""Wrong-typed values for every field of the addon are refused with a clear message.

The fields come from the registry, so a new model or field is covered without touching
this table: every model whose name starts with ``spm.`` and every ``spm_`` field of a
core model. For each field type a list of wrong values is written, on create and on
write; each call must raise a ``ValidationError`` (or ``UserError``) naming the field's
label, and nothing may be logged at ERROR level.
"""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged

from .common import SpmCommon

NAN, INF = float("nan"), float("inf")
TOO_LONG = "x" * 10_000
# Wrong values per field type: a string for an id, a list for a scalar, a boolean for a
# number, an impossible date, NaN and infinity.
BAD_VALUES = {
    "many2one": ["abc", [1], True, 2.5, -3, 2**31 - 1],
    "one2many": ["abc", 7, True, [(9, 0, 0)], [(6, 0, "abc")], [(4, "abc")], [2**31 - 1]],
    "integer": ["abc", True, 1.5, NAN, [1], 2**40],
    "float": ["abc", True, NAN, INF, -INF, [1.0]],
    "char": [True, 12, ["x"], {"en_US": "x"}],
    "selection": [True, ["A"], "no-such-value", 99],
    "date": ["2026-02-30", "30/01/2026", True, 20260101, ["2026-01-01"]],
    "datetime": ["2026-02-30 10:00:00", "soon", True, 5, ["2026-01-01 10:00:00"]],
    "boolean": ["abc", 2, [True], 0.5],
}
BAD_VALUES["many2many"] = BAD_VALUES["one2many"]
BAD_VALUES["monetary"] = BAD_VALUES["float"]
BAD_VALUES["text"] = BAD_VALUES["html"] = BAD_VALUES["char"]
MAIL_MIXINS = ("mail.thread", "mail.activity.mixin")


@tagged("post_install", "-at_install")
class TestBadInput(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A record per model for the write path; for the other models the write is made
        # on an empty recordset: the check runs on top of write, before any code of
        # the model, so it is refused all the same.
        cls.records = {
            "res.partner": cls.dealer,
            "res.company": cls.company,
            "spm.region": cls.region_sh,
            "res.config.settings": cls.env["res.config.settings"].create({}),
            "sale.order": cls.env["sale.order"].create({"partner_id": cls.dealer.id}),
            "spm.pr.record": cls.env["spm.pr.record"].create({"organisation": "Press Office"}),
            "spm.competitor.product": cls.env["spm.competitor.product"].create(
                {"name": "Phone X", "competitor_id": cls.dealer.id}
            ),
            "spm.visit": cls.env["spm.visit"].create({"partner_id": cls.dealer.id}),
        }

    def _checked_models(self):
        """Model name -> the fields a client can write that the input check covers."""
        checked = {}
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract or not model._auto:
                continue  # mixins and SQL views: no create or write
            mail_fields = {
                fname
                for mixin in MAIL_MIXINS
                if isinstance(model, self.env.registry[mixin])
                for fname in self.env[mixin]._fields
            }
            fnames = [
                fname
                for fname, field in model._fields.items()
                if (fname.startswith("spm_") or name.startswith("spm."))
                and fname not in MAGIC_COLUMNS
                and fname != "display_name"
                and fname not in mail_fields  # the chatter is core's
                # delegated fields (res.users' partner fields) are checked on the parent
                and not field.inherited
                # a computed field without inverse is never written from a client
                and not (field.compute and not field.inverse)
                and field.type in BAD_VALUES
            ]
            if fnames:
                checked[name] = fnames
        return checked

    def _bad_values(self, field):
        values = list(BAD_VALUES[field.type])
        if field.type == "char" and field.size:
            values.append(TOO_LONG)
        return values

    def _refusal_failures(self, call, name, fname, value):
        model = self.env[name]
        label = model._fields[fname]._description_string(self.env)
        try:
            with self.env.cr.savepoint():
                call(fname, value)
        except (UserError, ValidationError) as error:
            if label not in str(error):
                return [f"{name}.{fname} = {value!r}: message does not name {label!r}: {error}"]
            return []
        except Exception as error:
            return [f"{name}.{fname} = {value!r}: {type(error).__name__}: {error}"]
        return [f"{name}.{fname} = {value!r}: accepted"]

    def _check_every_field(self, make_call):
        failures = []
        with self.assertNoLogs("odoo", level="ERROR"):
            for name, fnames in self._checked_models().items():
                call = make_call(name)
                for fname in fnames:
                    for value in self._bad_values(self.env[name]._fields[fname]):
                        failures += self._refusal_failures(call, name, fname, value)
        self.assertFalse(failures, "\n".join(failures))

    def test_every_model_with_spm_fields_has_the_input_check(self):
        missing = [
            name
            for name in self._checked_models()
            if not isinstance(self.env[name], self.env.registry["spm.input.mixin"])
        ]
        self.assertFalse(missing, f"add spm.input.mixin to the _inherit of {missing}")

    def test_wrong_values_are_refused_on_create(self):
        def make_call(name):
            return lambda fname, value: self.env[name].create({fname: value})

        self._check_every_field(make_call)

    def test_wrong_values_are_refused_on_write(self):
        def make_call(name):
            record = self.records.get(name, self.env[name])
            return lambda fname, value: record.write({fname: value})

        self._check_every_field(make_call)

    def test_wrong_values_are_refused_for_a_rep_over_rpc(self):
        partner = self.dealer.with_user(self.rep_colleague)
        with self.assertRaisesRegex(ValidationError, "Credit Rating of Contact must be one of"):
            partner.write({"spm_credit_rating": ["A"]})
        with self.assertRaisesRegex(ValidationError, "Payday of Contact must be one of 1, 2"):
            partner.write({"spm_payday": True})
        Visit = self.env["spm.visit"].with_user(self.rep_colleague)
        with self.assertRaisesRegex(ValidationError, "Customer .*must be the id"):
            Visit.create({"partner_id": "abc"})
        with self.assertRaisesRegex(ValidationError, "Customer .*must be the id"):
            Visit.create({"partner_id": [self.dealer.id]})

    def test_promise_with_a_text_task_or_an_impossible_date_is_refused(self):
        Promise = self.env["spm.payment.promise"].with_user(self.rep_colleague)
        with self.assertRaisesRegex(ValidationError, "Collection Task of Promise to Pay must be"):
            Promise.create({"task_id": "abc", "promised_date": "2026-03-01", "amount": 10})
        with self.assertRaisesRegex(ValidationError, "a date that exists, written YYYY-MM-DD"):
            Promise.create({"promised_date": "2026-02-30", "amount": 10})

    def test_missing_record_is_named(self):
        with self.assertRaisesRegex(
            ValidationError, "there is no Sales Region with the id 2147483647"
        ):
            self.dealer.write({"spm_region_id": 2**31 - 1})

    def test_all_wrong_fields_are_listed_in_one_message(self):
        with self.assertRaises(ValidationError) as caught:
            self.dealer.write({"spm_tier": "Z", "spm_employee_count": "many"})
        self.assertIn("Customer Class", str(caught.exception))
        self.assertIn("Employees", str(caught.exception))

    def test_impossible_date_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Last Contact Date .*a date that exists"):
            self.records["spm.pr.record"].write({"last_contact_date": "2026-02-30"})

    def test_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "Check-in Radius"):
            self.env["res.config.settings"].create({"spm_visit_radius_m": "far"})
        with self.assertRaisesRegex(ValidationError, "Check-in Radius"):
            self.company.write({"spm_visit_radius_m": NAN})

    def test_usual_forms_are_accepted(self):
        self.dealer.write(
            {
                "spm_payday": 15,  # a number, as RPC clients send it
                "spm_tier": "B",
                "spm_credit_rating": False,
                "spm_economic_nature": "",
                "spm_region_id": self.region_east,
                "spm_network_region_ids": [self.region_east.id, self.region_sh.id],
                "spm_employee_count": 12.0,
                "spm_annual_revenue": 10,
                "spm_is_key_person": 1,
            }
        )
        self.assertEqual(self.dealer.spm_payday, "15")
        self.assertEqual(self.dealer.spm_region_id, self.region_east)
        self.assertEqual(len(self.dealer.spm_network_region_ids), 2)
        pr = self.records["spm.pr.record"]
        pr.write({"last_contact_date": date(2026, 2, 28), "region_id": self.region_sh.id})
        pr.write({"last_contact_date": "2026-02-28"})
        self.assertEqual(pr.last_contact_date, date(2026, 2, 28))
