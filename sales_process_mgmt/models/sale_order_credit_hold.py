from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tools import SQL, format_date, formatLang

# Set by a confirmed online payment only (payment_transaction.py): an object, which no
# RPC client can put in a context.
ONLINE_PAYMENT = object()
# Overdue invoices named in a credit hold message; the rest are summed up.
HOLD_LISTED_INVOICES = 5
# Order fields whose change on a confirmed order re-runs the credit hold.
HOLD_ORDER_FIELDS = frozenset({"partner_id", "partner_invoice_id", "order_line"})


class SaleOrder(models.Model):
    _inherit = "sale.order"

    spm_credit_hold_warning = fields.Text(
        string="Credit Hold", compute="_compute_spm_credit_hold_warning"
    )
    spm_credit_limit_hold_note = fields.Char(
        string="Credit Limit Hold", compute="_compute_spm_credit_hold_warning"
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

    @api.depends(
        "partner_id",
        "partner_invoice_id",
        "company_id",
        "amount_total",
        "state",
        "partner_credit_warning",
    )
    def _compute_spm_credit_hold_warning(self):
        """What a quotation's form says of the hold, in one banner per concern.

        The credit limit of the order's customer is Odoo's own banner
        (``partner_credit_warning``, computed by Odoo): when the customer's rule holds
        orders over the limit, ``spm_credit_limit_hold_note``, shown inside that banner,
        names the rule and the way out. ``spm_credit_hold_warning``, the hold's own
        banner, carries what Odoo does not show: overdue invoices, used-up deferrals, and
        the credit limit of the invoice address's customer when it is another one (Odoo's
        banner is about the order's customer only). An order held by its limit alone
        thus shows one banner, Odoo's."""
        cache = {}  # each customer looked up once, as on confirmation
        for order in self:
            reasons = []
            note = False
            if order.state in ("draft", "sent") and order.partner_id:
                customer = order.partner_id.commercial_partner_id
                for partner in order._spm_credit_hold_partners():
                    reasons += order._spm_credit_hold_reasons(
                        cache=cache, partner=partner, credit_limit=partner != customer
                    )
                if order.partner_credit_warning:
                    rule = order._spm_credit_hold_rule(customer, cache)
                    if rule.hold_credit_limit:
                        note = self.env._(
                            "Rule %(rule)s holds orders over the credit limit: this order "
                            "cannot be confirmed until it fits the limit, unless a credit "
                            "manager overrides the hold with a written reason.",
                            rule=rule.display_name,
                        )
            if reasons:
                reasons.append(order._spm_credit_hold_way_out())
            order.spm_credit_hold_warning = "\n".join(reasons)
            order.spm_credit_limit_hold_note = note

    def write(self, vals):
        before = self._spm_credit_snapshot() if HOLD_ORDER_FIELDS & set(vals) else None
        result = super().write(vals)
        if before:
            self._spm_check_credit_hold_on_increase(before)
        return result

    def _spm_credit_hold_partners(self):
        """The customers an order is held for: the commercial entities of the customer and
        of the invoice address."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id | self.partner_invoice_id.commercial_partner_id

    def _spm_check_credit_hold(self):
        """Refuse to confirm an order of a customer on credit hold. Members of the
        override group are offered the override wizard; an order carrying a recorded
        override (``_spm_credit_override``) goes through."""
        cache = {}
        pending = defaultdict(float)
        for order in self:
            amount = order.amount_total / (order.currency_rate or 1.0)
            for partner in order._spm_credit_hold_partners():
                key = (order.company_id.id, partner.id)
                amount_before = pending[key]
                pending[key] += amount
                if order.spm_credit_override_date:
                    continue
                reasons = order._spm_credit_hold_reasons(
                    cache=cache, pending=amount_before, partner=partner
                )
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
                            "Thank you: your signature on %(order)s is recorded. Our team "
                            "must review the order before confirming it; your salesperson "
                            "will contact you shortly.",
                            order=order.name,
                        )
                    )
                order._spm_refuse_credit_hold(
                    self.env._(
                        "%(order)s cannot be confirmed: %(customer)s is on credit hold.",
                        order=order.name,
                        customer=partner.display_name,
                    ),
                    reasons,
                )
        return True

    def _spm_refuse_credit_hold(self, title, reasons):
        """Raise the refusal of the credit hold; credit managers are offered the override
        wizard of the order."""
        self.ensure_one()
        message = "\n".join([title, *reasons, self._spm_credit_hold_way_out()])
        if self.env.user.has_group("sales_process_mgmt.group_spm_credit_override"):
            raise RedirectWarning(
                message,
                self.env["spm.credit.override.wizard"]._action_for(self),
                self.env._("Override Credit Hold"),
            )
        raise UserError(message)

    def _spm_credit_hold_way_out(self):
        return self.env._(
            "Clear the holds listed first, or ask a credit manager to override the hold "
            "with a written reason."
        )

    # ------------------------------------------------------------------
    # Confirmed orders: a change that raises the order re-runs the hold
    # ------------------------------------------------------------------
    def _spm_credit_snapshot(self):
        """What the hold compares after a change, for the confirmed orders among these
        without an override: {order id: (customers, total, {line id: (product, qty)})}."""
        return {
            order.id: (
                order._spm_credit_hold_partners(),
                order.amount_total,
                {
                    line.id: (line.product_id.id, line.product_uom_qty)
                    for line in order.order_line
                    if not line.display_type
                },
            )
            for order in self
            if order.state == "sale" and not order.spm_credit_override_date
        }

    def _spm_credit_raised(self, total, lines):
        """Whether the order is raised compared to ``total`` and ``lines`` (a snapshot):
        a higher total, a line added or with more quantity, or another product on a line."""
        self.ensure_one()
        if self.currency_id.compare_amounts(self.amount_total, total) > 0:
            return True
        for line in self.order_line:
            if line.display_type:
                continue
            old = lines.get(line.id)
            if old is None:
                if line.product_uom_qty > 0:
                    return True
            elif line.product_id.id != old[0] or line.product_uom_qty > old[1]:
                return True
        return False

    def _spm_check_credit_hold_on_increase(self, before):
        """The credit hold of confirmed orders, after a change (``before``: their
        ``_spm_credit_snapshot()``): a customer that the change brings to the order (as
        customer or invoice address) is checked for the whole order, the customers of an
        order raised by the change for the order as it stands now. A decrease, a neutral
        change or an order with an override goes through. Called by every path that can
        raise a confirmed order: the order's ``write`` and its lines' ``create`` and
        ``write``."""
        cache = {}
        for order in self.browse(list(before)):
            if order.state != "sale" or order.spm_credit_override_date:
                continue
            old_partners, old_total, old_lines = before[order.id]
            partners = order._spm_credit_hold_partners()
            new_partners = partners - old_partners
            to_check = partners if order._spm_credit_raised(old_total, old_lines) else new_partners
            rate = order.currency_rate or 1.0
            for partner in to_check:
                if partner in new_partners:
                    increase = order.amount_total / rate
                else:
                    increase = max(order.amount_total - old_total, 0.0) / rate
                reasons = order._spm_credit_hold_reasons(
                    cache=cache, partner=partner, increase=increase
                )
                if reasons:
                    order._spm_refuse_credit_hold(
                        self.env._(
                            "%(order)s is confirmed and %(customer)s is on credit hold: the "
                            "order cannot be moved to this customer or raised (more "
                            "quantity, a higher price, a smaller discount, another product "
                            "or a new line).",
                            order=order.name,
                            customer=partner.display_name,
                        ),
                        reasons,
                    )

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
        if self.state not in ("draft", "sent", "to_approve", "sale"):
            raise UserError(
                self.env._(
                    "%(order)s is cancelled: there is no credit hold to override.",
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
        was_confirmed = self.state == "sale"
        if self.state in ("draft", "sent"):
            self.action_confirm()
        self._spm_log_credit_override(reason, was_confirmed=was_confirmed)
        return True

    def _spm_credit_hold_rule(self, partner, cache=None):
        """The collection rule of ``partner`` (a commercial entity) in the order's
        company; ``cache``: as for ``_spm_credit_hold_reasons``."""
        self.ensure_one()
        key = ("rule", self.company_id.id, partner.id)
        if cache is not None and key in cache:
            return cache[key]
        rule = self.env["spm.collection.rule"]._match_partners(partner, self.company_id)[partner][0]
        if cache is not None:
            cache[key] = rule
        return rule

    def _spm_credit_hold_reasons(
        self, cache=None, pending=0.0, partner=None, increase=None, credit_limit=True
    ):
        """What holds this order's customer (commercial entity; ``partner``: another
        customer of the order, e.g. its invoice address), one text per hold the customer's
        collection rule has switched on, naming the invoices and amounts. A constant number
        of queries, whatever the number of invoices of the customer. ``cache``: a dict
        shared by the orders of one batch, so that each customer is looked up once;
        ``pending``: the amount (company currency) of the orders of the same customer
        confirmed before this one in the batch, counted in the exposure; ``increase``: for
        a confirmed order, what a change has just added to it for this customer;
        ``credit_limit``: False leaves the credit limit out (where Odoo's own banner shows
        it)."""
        self.ensure_one()
        company = self.company_id
        partner = partner or self.partner_id.commercial_partner_id
        rule = self._spm_credit_hold_rule(partner, cache)
        key = (company.id, partner.id)
        if cache is not None and key in cache:
            reasons = list(cache[key])
        else:
            overdue, deferred = self._spm_hold_domains(rule, partner)
            counts = self._spm_hold_counts(overdue, deferred)
            reasons = [
                reason
                for reason in (
                    counts[0] and self._spm_overdue_reason(rule, overdue, *counts[:2]),
                    counts[2] and self._spm_deferral_reason(rule, deferred),
                )
                if reason
            ]
            if cache is not None:
                cache[key] = list(reasons)
        if credit_limit:
            credit_reason = self._spm_credit_limit_reason(rule, partner, cache, pending, increase)
            if credit_reason:
                reasons.append(credit_reason)
        return reasons

    def _spm_format_company_amount(self, value):
        return formatLang(self.env, value, currency_obj=self.company_id.currency_id)

    def _spm_hold_domains(self, rule, partner):
        """The domains of what holds ``partner`` by ``rule``, None for a hold switched
        off: (overdue invoices, collection tasks put off too often)."""
        overdue = deferred = None
        if rule.hold_overdue and rule.block_orders_after_days:
            today = fields.Date.context_today(self)
            overdue = [
                ("company_id", "=", self.company_id.id),
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", today - timedelta(days=rule.block_orders_after_days)),
            ]
        if rule.hold_deferrals:
            deferred = [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", partner.id),
                ("state", "in", ("open", "promised", "escalated")),
                ("deferral_count", ">", rule.max_deferrals),
            ]
        return overdue, deferred

    def _spm_hold_counts(self, overdue, deferred):
        """(overdue invoices, their open amount, deferred tasks) for the domains of
        ``_spm_hold_domains``, in one query."""
        columns = []
        if overdue:
            Move = self.env["account.move"].sudo()
            Move.flush_model([field for field, _op, _value in overdue] + ["amount_residual_signed"])
            query = Move._search(overdue)
            columns += [
                query.subselect("COUNT(*)"),
                query.subselect(
                    SQL("SUM(%s)", SQL.identifier(query.table, "amount_residual_signed"))
                ),
            ]
        else:
            columns += [SQL("0"), SQL("0")]
        if deferred:
            Task = self.env["spm.collection.task"].sudo()
            Task.flush_model([field for field, _op, _value in deferred])
            columns.append(Task._search(deferred).subselect("COUNT(*)"))
        else:
            columns.append(SQL("0"))
        self.env.cr.execute(SQL("SELECT %s", SQL(", ").join(columns)))
        count, total, tasks = self.env.cr.fetchone()
        return count, total or 0.0, tasks

    def _spm_overdue_reason(self, rule, domain, count, total):
        """The overdue hold of ``rule``: the ``count`` invoices of ``domain`` overdue more
        than the rule allows, ``total`` open."""
        amount = self._spm_format_company_amount
        Move = self.env["account.move"].sudo()
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
        return self.env._(
            "- Overdue more than %(days)s days (rule %(rule)s): %(count)s "
            "invoice(s), %(total)s open: %(invoices)s.",
            days=rule.block_orders_after_days,
            rule=rule.display_name,
            count=count,
            total=amount(total),
            invoices=listed,
        )

    def _spm_deferral_reason(self, rule, domain):
        """The deferral hold of ``rule``: the collection tasks of ``domain``, put off more
        often than the rule allows."""
        tasks = (
            self.env["spm.collection.task"]
            .sudo()
            .search_fetch(
                domain,
                ["name", "deferral_count", "amount_residual_signed"],
                limit=HOLD_LISTED_INVOICES,
            )
        )
        deferred = [
            self.env._(
                "%(invoice)s put off %(count)s times, %(amount)s open",
                invoice=task.name,
                count=task.deferral_count,
                amount=self._spm_format_company_amount(task.amount_residual_signed),
            )
            for task in tasks
        ]
        return self.env._(
            "- Deferrals used up (at most %(max)s allowed, rule %(rule)s): %(invoices)s.",
            max=rule.max_deferrals,
            rule=rule.display_name,
            invoices=", ".join(deferred),
        )

    def _spm_credit_limit_reason(self, rule, partner, cache, pending, increase):
        """The credit limit hold of ``rule`` on ``partner`` for this order, or None (see
        ``_spm_credit_hold_reasons`` for the arguments).

        "Over the limit" is Odoo's own credit warning, not a figure of the hold: the
        message of ``account.move._build_credit_warning_message`` for the order's amount
        (for a confirmed order, its balance not invoiced, counted once), the one Odoo's
        banner shows on the quotation (``partner_credit_warning``), on the same
        conditions. Odoo warns only when the company uses credit limits (the
        accounting setting ``account_use_credit_limit``, without which it does not even
        count the confirmed orders not invoiced, ``credit_to_invoice``) and the customer
        has a limit (``credit_limit``: the customer's own, else the company's default;
        0 is no limit). The hold holds on exactly these conditions when the rule's
        ``hold_credit_limit`` is on, and adds the rule's name, the amount of the orders
        confirmed with this one in a batch and, on a confirmed order, the increase."""
        self.ensure_one()
        company = self.company_id
        if not (rule.hold_credit_limit and company.account_use_credit_limit):
            return None
        # Like Odoo's banner, in sudo: the credit figures are accounting fields.
        order = self.with_company(company).sudo()
        credit_key = ("credit", company.id, partner.id)
        if cache is None or credit_key not in cache:
            # Not stored: computed afresh, never from an earlier read in this transaction.
            partner.with_company(company).sudo().invalidate_recordset(
                ["credit", "credit_to_invoice"]
            )
            if cache is not None:
                cache[credit_key] = True
        # Orders of the batch confirmed before this one count as confirmed orders not
        # invoiced yet (Odoo subtracts ``exclude_amount`` from ``credit_to_invoice``).
        exclude = -pending
        if self.state != "sale":
            current = self.amount_total / (self.currency_rate or 1.0)
        else:
            # A confirmed order: its balance not invoiced yet, which Odoo already counts
            # among the confirmed orders of its invoice address.
            current = self.currency_id._convert(
                self.amount_to_invoice,
                company.currency_id,
                company,
                fields.Date.context_today(self),
            )
            if self.partner_invoice_id.commercial_partner_id == partner:
                exclude += current
        record = order
        if partner != self.partner_id.commercial_partner_id:
            # Odoo's message is about the order's customer: the order as billed to the
            # other one.
            record = order.new({"partner_id": partner.id, "company_id": company.id})
        warning = self.env["account.move"]._build_credit_warning_message(
            record, current_amount=current, exclude_amount=exclude
        )
        if not warning:
            return None
        amount = self._spm_format_company_amount
        reason = self.env._(
            "- Credit limit exceeded (rule %(rule)s): %(warning)s",
            rule=rule.display_name,
            warning=warning,
        )
        if increase is not None:
            reason += "\n" + self.env._(
                "Of which %(increase)s added by this change.", increase=amount(increase)
            )
        if pending:
            reason += "\n" + self.env._(
                "The exposure includes %(pending)s of other orders of this customer "
                "confirmed together with this one.",
                pending=amount(pending),
            )
        return reason

    def _spm_log_credit_override(self, reason, was_confirmed=False):
        """Log an override of the credit hold on the order and on the customer, worded
        after what became of the order."""
        for order in self:
            if was_confirmed:
                body = self.env._(
                    "%(user)s overrode the credit hold of confirmed order %(order)s: it may be "
                    "raised or moved to a customer on credit hold. Reason: %(reason)s",
                    user=self.env.user.name,
                    order=order.name,
                    reason=reason,
                )
            elif order.state == "sale":
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
