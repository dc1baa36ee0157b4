from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import RedirectWarning, UserError
from odoo.tools import formatLang

# Overdue invoices named in a credit hold message; the rest are summed up.
HOLD_LISTED_INVOICES = 5


class SaleOrder(models.Model):
    _inherit = "sale.order"

    spm_visit_id = fields.Many2one(
        "spm.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The customer visit on which the order was taken.",
    )
    # Collection: credit hold (送货收款)
    spm_credit_hold_warning = fields.Text(
        string="Credit Hold", compute="_compute_spm_credit_hold_warning"
    )

    @api.depends("partner_id", "company_id", "amount_total", "state")
    def _compute_spm_credit_hold_warning(self):
        for order in self:
            reasons = []
            if order.state in ("draft", "sent") and order.partner_id:
                reasons = order._spm_credit_hold_reasons()
            order.spm_credit_hold_warning = "\n".join(reasons)

    def action_confirm(self):
        self._spm_check_credit_hold()
        return super().action_confirm()

    def _spm_check_credit_hold(self):
        """Refuse to confirm an order of a customer on credit hold. Members of the
        override group are offered the override wizard; an override (the wizard's
        context, for those members only) lets the order through."""
        overriding = self.env.context.get("spm_credit_override_reason") and self.env.user.has_group(
            "sales_process_mgmt.group_spm_credit_override"
        )
        if overriding:
            return True
        for order in self:
            reasons = order._spm_credit_hold_reasons()
            if not reasons:
                continue
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

    def _spm_credit_hold_reasons(self):
        """What holds this order's customer (commercial entity), one text per reason,
        naming the invoices and amounts. A constant number of queries, whatever the
        number of invoices of the customer."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id
        sudo_partner = partner.with_company(company).sudo()
        currency = company.currency_id
        today = fields.Date.context_today(self)
        rule = self.env["spm.collection.rule"]._match_partners(partner, company)[partner][0]
        reasons = []

        def amount(value):
            return formatLang(self.env, value, currency_obj=currency)

        Move = self.env["account.move"].sudo()
        if rule.block_orders_after_days:
            domain = [
                ("company_id", "=", company.id),
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", today - timedelta(days=rule.block_orders_after_days)),
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
                        date=invoice.invoice_date_due,
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
            reasons.append(
                self.env._(
                    "- Deferrals used up (at most %(max)s allowed): %(invoices)s.",
                    max=max_deferrals,
                    invoices=", ".join(
                        self.env._(
                            "%(invoice)s put off %(count)s times, %(amount)s open",
                            invoice=task.name,
                            count=task.deferral_count,
                            amount=amount(task.amount_residual_signed),
                        )
                        for task in tasks
                    ),
                )
            )
        if company.account_use_credit_limit and sudo_partner.credit_limit:
            # Not stored: computed afresh, never from an earlier read in this transaction.
            sudo_partner.invalidate_recordset(["credit", "credit_to_invoice"])
            receivable = sudo_partner.credit
            to_invoice = sudo_partner.credit_to_invoice
            this_order = self.amount_total / (self.currency_rate or 1.0)
            exposure = receivable + to_invoice + this_order
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
        return reasons

    def _spm_log_credit_override(self, reason):
        """Log an override of the credit hold on the order and on the customer."""
        for order in self:
            body = self.env._(
                "%(user)s overrode the credit hold to confirm %(order)s. Reason: %(reason)s",
                user=self.env.user.name,
                order=order.name,
                reason=reason,
            )
            order.message_post(body=body)
            order.partner_id.commercial_partner_id.message_post(body=body)
