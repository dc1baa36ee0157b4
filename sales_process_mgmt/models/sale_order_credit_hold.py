from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tools import format_date, formatLang

# Set by a confirmed online payment only (payment_transaction.py): an object, which no
# RPC client can put in a context.
ONLINE_PAYMENT = object()
# Overdue invoices named in a credit hold message; the rest are summed up.
HOLD_LISTED_INVOICES = 5


class SaleOrder(models.Model):
    _inherit = "sale.order"

    spm_credit_hold_warning = fields.Text(
        string="Credit Hold", compute="_compute_spm_credit_hold_warning"
    )
    spm_credit_override_reason = fields.Text(
        string="Credit Hold Override Reason", readonly=True, copy=False, tracking=True
    )
    spm_credit_override_by_id = fields.Many2one(
        "res.users", string="Credit Hold Overridden by", readonly=True, copy=False
    )
    spm_credit_override_date = fields.Datetime(
        string="Credit Hold Overridden on", readonly=True, copy=False
    )

    @api.depends("partner_id", "company_id", "amount_total", "state")
    def _compute_spm_credit_hold_warning(self):
        cache = {}  # each customer looked up once, as on confirmation
        for order in self:
            reasons = []
            if order.state in ("draft", "sent") and order.partner_id:
                reasons = order._spm_credit_hold_reasons(cache=cache)
            order.spm_credit_hold_warning = "\n".join(reasons)

    def _spm_check_credit_hold(self):
        """Refuse to confirm an order of a customer on credit hold. Members of the
        override group are offered the override wizard; an order carrying a recorded
        override (``_spm_credit_override``) goes through."""
        cache = {}
        pending = defaultdict(float)
        for order in self:
            key = (order.company_id.id, order.partner_id.commercial_partner_id.id)
            amount_before = pending[key]
            pending[key] += order.amount_total / (order.currency_rate or 1.0)
            if order.spm_credit_override_date:
                continue
            reasons = order._spm_credit_hold_reasons(cache=cache, pending=amount_before)
            if not reasons:
                continue
            if self.env.context.get("spm_online_payment") is ONLINE_PAYMENT:
                # The customer has paid online: the order goes through, the salesperson
                # is told what the hold was about.
                order._spm_log_credit_hold_after_payment(reasons)
                continue
            if self.env.user.share:
                # A customer signing on the portal sees no internal invoice list.
                raise UserError(
                    self.env._(
                        "Thank you: your signature on %(order)s is recorded. Our team must "
                        "review the order before confirming it; your salesperson will "
                        "contact you shortly.",
                        order=order.name,
                    )
                )
            message = "\n".join(
                [
                    self.env._(
                        "%(order)s cannot be confirmed: %(customer)s is on credit hold.",
                        order=order.name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                    ),
                    *reasons,
                    self.env._(
                        "Collect the overdue amounts first, or ask a credit manager to "
                        "override the hold with a written reason."
                    ),
                ]
            )
            if self.env.user.has_group("sales_process_mgmt.group_spm_credit_override"):
                raise RedirectWarning(
                    message,
                    self.env["spm.credit.override.wizard"]._action_for(order),
                    self.env._("Override Credit Hold"),
                )
            raise UserError(message)
        return True

    def _spm_log_credit_hold_after_payment(self, reasons):
        self.ensure_one()
        body = "\n".join(
            [
                self.env._(
                    "%(order)s was confirmed by the customer's online payment although "
                    "%(customer)s is on credit hold:",
                    order=self.name,
                    customer=self.partner_id.commercial_partner_id.display_name,
                ),
                *reasons,
            ]
        )
        self.message_post(body=body)
        if self.user_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Paid online while on credit hold"),
                note=self.env._(
                    "Review the customer's overdue amounts with the credit manager before "
                    "delivering."
                ),
            )

    def _spm_credit_override(self, reason):
        """Record a credit manager's override of the credit hold on the order, log it on
        the order and the customer, and confirm the order if it is still a quotation
        (an order waiting for discount approval stays there: the approval confirms it)."""
        self.ensure_one()
        if not self.env.user.has_group("sales_process_mgmt.group_spm_credit_override"):
            raise AccessError(
                self.env._(
                    "Only credit managers may override the credit hold of %(order)s.",
                    order=self.name,
                )
            )
        if self.state not in ("draft", "sent", "to_approve"):
            raise UserError(
                self.env._(
                    "%(order)s is no quotation and does not wait for discount approval: there "
                    "is no credit hold to override.",
                    order=self.name,
                )
            )
        self._spm_protected().write(
            {
                "spm_credit_override_reason": reason,
                "spm_credit_override_by_id": self.env.user.id,
                "spm_credit_override_date": fields.Datetime.now(),
            }
        )
        if self.state in ("draft", "sent"):
            self.action_confirm()
        self._spm_log_credit_override(reason)
        return True

    def _spm_credit_hold_reasons(self, cache=None, pending=0.0):
        """What holds this order's customer (commercial entity), one text per reason,
        naming the invoices and amounts. A constant number of queries, whatever the
        number of invoices of the customer. ``cache``: a dict shared by the orders of one
        batch, so that each customer is looked up once; ``pending``: the amount (company
        currency) of the orders of the same customer confirmed before this one in the
        batch, counted in the exposure."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id
        sudo_partner = partner.with_company(company).sudo()
        currency = company.currency_id
        today = fields.Date.context_today(self)

        def amount(value):
            return formatLang(self.env, value, currency_obj=currency)

        def customer_reasons():
            rule = self.env["spm.collection.rule"]._match_partners(partner, company)[partner][0]
            reasons = []
            Move = self.env["account.move"].sudo()
            if rule.block_orders_after_days:
                domain = [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    (
                        "invoice_date_due",
                        "<",
                        today - timedelta(days=rule.block_orders_after_days),
                    ),
                ]
                [(count, total)] = Move._read_group(
                    domain, aggregates=["__count", "amount_residual_signed:sum"]
                )
                if count:
                    invoices = Move.search_fetch(
                        domain,
                        ["name", "invoice_date_due", "amount_residual_signed"],
                        order="invoice_date_due, id",
                        limit=HOLD_LISTED_INVOICES,
                    )
                    listed = ", ".join(
                        self.env._(
                            "%(invoice)s due %(date)s: %(amount)s",
                            invoice=invoice.name,
                            date=format_date(self.env, invoice.invoice_date_due),
                            amount=amount(invoice.amount_residual_signed),
                        )
                        for invoice in invoices
                    )
                    if count > len(invoices):
                        listed += self.env._(" and %(count)s more", count=count - len(invoices))
                    reasons.append(
                        self.env._(
                            "- Overdue more than %(days)s days (rule %(rule)s): %(count)s "
                            "invoice(s), %(total)s open: %(invoices)s.",
                            days=rule.block_orders_after_days,
                            rule=rule.display_name,
                            count=count,
                            total=amount(total),
                            invoices=listed,
                        )
                    )
            max_deferrals = rule.max_deferrals if rule else 1
            tasks = (
                self.env["spm.collection.task"]
                .sudo()
                .search_fetch(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "=", partner.id),
                        ("state", "in", ("open", "promised", "escalated")),
                        ("deferral_count", ">", max_deferrals),
                    ],
                    ["name", "deferral_count", "amount_residual_signed"],
                    limit=HOLD_LISTED_INVOICES,
                )
            )
            if tasks:
                deferred = [
                    self.env._(
                        "%(invoice)s put off %(count)s times, %(amount)s open",
                        invoice=task.name,
                        count=task.deferral_count,
                        amount=amount(task.amount_residual_signed),
                    )
                    for task in tasks
                ]
                reasons.append(
                    self.env._(
                        "- Deferrals used up (at most %(max)s allowed): %(invoices)s.",
                        max=max_deferrals,
                        invoices=", ".join(deferred),
                    )
                )
            return reasons

        key = (company.id, partner.id)
        if cache is not None and key in cache:
            reasons = list(cache[key])
        else:
            reasons = customer_reasons()
            if cache is not None:
                cache[key] = list(reasons)
        if company.account_use_credit_limit and sudo_partner.credit_limit:
            credit_key = ("credit", *key)
            if cache is not None and credit_key in cache:
                receivable, to_invoice = cache[credit_key]
            else:
                # Not stored: computed afresh, never from an earlier read in this transaction.
                sudo_partner.invalidate_recordset(["credit", "credit_to_invoice"])
                receivable = sudo_partner.credit
                to_invoice = sudo_partner.credit_to_invoice
                if cache is not None:
                    cache[credit_key] = (receivable, to_invoice)
            this_order = self.amount_total / (self.currency_rate or 1.0)
            exposure = receivable + to_invoice + pending + this_order
            if currency.compare_amounts(exposure, sudo_partner.credit_limit) > 0:
                reasons.append(
                    self.env._(
                        "- Credit limit %(limit)s exceeded: exposure %(exposure)s = open "
                        "receivables %(receivable)s + confirmed orders not invoiced "
                        "%(to_invoice)s + this order %(order)s.",
                        limit=amount(sudo_partner.credit_limit),
                        exposure=amount(exposure),
                        receivable=amount(receivable),
                        to_invoice=amount(to_invoice),
                        order=amount(this_order),
                    )
                )
                if pending:
                    reasons[-1] += " " + self.env._(
                        "The exposure includes %(pending)s of other orders of this customer "
                        "confirmed together with this one.",
                        pending=amount(pending),
                    )
        return reasons

    def _spm_log_credit_override(self, reason):
        """Log an override of the credit hold on the order and on the customer, worded
        after what became of the order."""
        for order in self:
            if order.state == "sale":
                body = self.env._(
                    "%(user)s overrode the credit hold to confirm %(order)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    order=order.name,
                    reason=reason,
                )
            else:
                body = self.env._(
                    "%(user)s overrode the credit hold of %(order)s; the order now waits for "
                    "discount approval and is confirmed when a manager approves it. "
                    "Reason: %(reason)s",
                    user=self.env.user.name,
                    order=order.name,
                    reason=reason,
                )
            order.message_post(body=body)
            order.partner_id.commercial_partner_id.message_post(body=body)
