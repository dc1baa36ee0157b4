"""The shared base of the addon's tests (companies and users), the base of its phone
tours, and the one way the tests invoice a customer and record its payment."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, common, new_test_user


def customer_invoice(env, partner, amount, due, *, user=None, invoice_date=None, post=True):
    """A customer invoice of ``partner``: one untaxed line of ``amount``, due on ``due``
    without payment terms, dated 30 days earlier unless ``invoice_date`` says otherwise;
    sold by ``user`` in that user's sales team (without ``user``, as Odoo defaults both);
    posted unless ``post`` is false."""
    due = fields.Date.to_date(due)
    values = {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": invoice_date or due - timedelta(days=30),
        "invoice_date_due": due,
        "invoice_payment_term_id": False,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": "Handsets",
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                }
            )
        ],
    }
    if user:
        values.update(invoice_user_id=user.id, team_id=user.sale_team_id.id)
    move = env["account.move"].create(values)
    if post:
        move.action_post()
    return move


def register_payment(env, move, amount=None, payment_date=None):
    """Pay ``amount`` of ``move`` (what is left to pay by default) on ``payment_date``
    (today by default), as the invoice's Register Payment button does."""
    values = {"payment_date": payment_date or fields.Date.today()}
    if amount is not None:
        values["amount"] = amount
    wizard = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=move.ids)
        .create(values)
    )
    return wizard._create_payments()


class SpmCommon(TransactionCase):
    """Two companies, a rep and a manager of the first, a rep of the second; the
    customer invoices of the tests, for the ``customer`` of each feature's base."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        salesman, manager = "sales_team.group_sale_salesman", "sales_team.group_sale_manager"
        cls.rep = cls._new_user("spm_rep", salesman, cls.company)
        cls.rep_colleague = cls._new_user("spm_rep_colleague", salesman, cls.company)
        cls.manager = cls._new_user("spm_manager", manager, cls.company)
        cls.other_rep = cls._new_user("spm_other_rep", salesman, cls.other_company)
        cls.region_east = cls.env["spm.region"].create({"name": "East", "code": "E"})
        cls.region_sh = cls.env["spm.region"].create(
            {"name": "Shanghai", "code": "E-SH", "parent_id": cls.region_east.id}
        )
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Huatong Electronics",
                "is_company": True,
                "spm_archive_type": "dealer",
                "spm_channel_level": "1",
                "spm_region_id": cls.region_sh.id,
                "user_id": cls.rep_colleague.id,
            }
        )

    @classmethod
    def _new_user(cls, login, groups, company):
        return new_test_user(
            cls.env, login=login, groups=groups, company_id=company.id, company_ids=company.ids
        )

    @classmethod
    def _invoice(cls, amount, due, *, invoice_date=None, partner=None, post=True, user=None):
        """A customer invoice of the ``customer`` (or ``partner``) sold by the rep (or
        ``user``): see ``customer_invoice``."""
        return customer_invoice(
            cls.env,
            partner or cls.customer,
            amount,
            due,
            user=user or cls.rep,
            invoice_date=invoice_date,
            post=post,
        )

    def _pay(self, move, amount=None, payment_date=None):
        return register_payment(self.env, move, amount, payment_date)

    def _credit_note(self, move, date=None):
        """The posted credit note of ``move``, matched with it while it is unpaid."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "journal_id": move.journal_id.id,
                    "reason": "Returned goods",
                    "date": date or fields.Date.today(),
                }
            )
        )
        reversal.refund_moves()
        refund = reversal.new_move_ids
        refund.action_post()
        if not move.currency_id.is_zero(move.amount_residual):
            line = refund.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            move.js_assign_outstanding_line(line.id)
        return refund


class SpmTourCase(HttpCase):
    """A tour in headless Chromium at the size of a desktop.

    Odoo waits 10 s for a new Chromium to open its DevTools port and skips the test
    when it does not; the first start on a busy two-core machine can take longer.
    These tours wait up to 30 s, so a slow browser start is not taken for a missing
    browser (a skipped tour still fails the test command)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(common, "CHECK_BROWSER_ITERATIONS", 300))


class SpmPhoneTourCase(SpmTourCase):
    """A tour at the size of a phone, with touch."""

    browser_size = "390x844"
    touch_enabled = True
