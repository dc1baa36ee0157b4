"""Money collected in the field (收款): the rep records what the customer paid, on the
collection task or on the visit that serves it; a draft customer payment waits for
finance to confirm it (post it, reconciled with the task's invoice) or refuse it with
a reason (the draft payment is cancelled, the rep told on the task).

The receipt is an audit record: created by the rep, then changed only by finance's
actions. Until finance confirms, the invoice stays unpaid: the task stays open and the
credit hold counts the money as owed; the task shows the amount awaiting confirmation.
"""

import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang
from odoo.tools.mimetypes import guess_mimetype

from .spm_protected_mixin import MANAGER, NOBODY
from .spm_time import spm_rep_today

RECEIPT_METHODS = [
    ("cash", "Cash"),
    ("bank_transfer", "Bank Transfer"),
    ("wechat", "WeChat Pay"),
    ("alipay", "Alipay"),
    ("cheque", "Cheque"),
]
RECEIPT_STATES = [
    ("awaiting", "Awaiting Confirmation"),
    ("confirmed", "Confirmed"),
    ("refused", "Refused"),
]
# What the rep enters; the rest follows the task and finance's actions.
REP_FIELDS = (
    "task_id",
    "visit_id",
    "amount",
    "method",
    "reference",
    "slip_photo",
    "is_advance",
    "date",
    "note",
)
FINANCE_GROUP = "account.group_account_invoice"

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def chinese_capital_amount(amount):
    """``amount`` in the capital numerals of Chinese receipts (大写金额), in yuan,
    jiao and fen: 1203.5 -> 壹仟贰佰零叁元伍角整."""
    fen_total = round(abs(amount) * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    words = ""
    if yuan:
        groups = []
        while yuan:
            yuan, group = divmod(yuan, 10000)
            groups.append(group)
        zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if not group:
                zero = bool(words)
                continue
            text = ""
            for position in range(3, -1, -1):
                digit = group // 10**position % 10
                if digit:
                    if zero or (not text and words and position < 3):
                        text += "零"
                    text += _DIGITS[digit] + _UNITS[position]
                    zero = False
                elif text:
                    zero = True
            words += text + _SECTIONS[index]
            zero = group % 10 == 0
        words += "元"
    if jiao:
        words += ("零" if not words.endswith("元") and words else "") + _DIGITS[jiao] + "角"
    if fen:
        words += ("零" if not jiao and words else "") + _DIGITS[fen] + "分"
    if not words:
        words = "零元"
    return words if fen else words + "整"


class SpmCollectionReceipt(models.Model):
    _name = "spm.collection.receipt"
    _description = "Collection Receipt"
    _inherit = ["mail.thread", "spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Receipt Number", readonly=True, copy=False, default="/")
    task_id = fields.Many2one(
        "spm.collection.task",
        string="Collection Task",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    visit_id = fields.Many2one(
        "spm.visit",
        index="btree_not_null",
        check_company=True,
        help="The visit at which the money was received.",
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="task_id.partner_id", store=True, string="Customer")
    move_id = fields.Many2one(related="task_id.move_id", string="Invoice")
    user_id = fields.Many2one(
        "res.users",
        string="Received By",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    currency_id = fields.Many2one(related="task_id.currency_id")
    amount = fields.Monetary(required=True)
    method = fields.Selection(RECEIPT_METHODS, required=True, default="cash")
    reference = fields.Char(
        help="The transfer's or cheque's number, the WeChat/Alipay order number."
    )
    slip_photo = fields.Image(max_width=1920, max_height=1920, attachment=True)
    is_advance = fields.Boolean(
        string="Advance",
        help="Money paid ahead: more than the invoice's amount due is accepted.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text()
    state = fields.Selection(RECEIPT_STATES, required=True, default="awaiting", tracking=True)
    refusal_reason = fields.Text(readonly=True)
    payment_id = fields.Many2one(
        "account.payment", readonly=True, copy=False, ondelete="restrict", index="btree_not_null"
    )

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    def _spm_protected_fields(self):
        # At creation the rep enters REP_FIELDS; afterwards nothing changes but what
        # finance's actions write. A sales manager may record for a rep (user_id).
        if not self:
            return {
                fname: MANAGER if fname == "user_id" else NOBODY
                for fname in self._fields
                if fname not in REP_FIELDS and not fname.startswith("message_")
            }
        return {fname: NOBODY for fname in self._fields if not fname.startswith("message_")}

    def _spm_protected_hint(self):
        return self.env._(
            "A receipt is a record of money received: it cannot be changed. Ask finance "
            "to refuse it, then record the right amount again."
        )

    def write(self, vals):
        if not self._spm_is_protected_write():
            for receipt in self.filtered(lambda receipt: receipt.state == "confirmed"):
                raise UserError(
                    self.env._(
                        "Receipt %(receipt)s is confirmed: its payment is posted and it "
                        "cannot be changed.",
                        receipt=receipt.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Receipts are a record of money received: they cannot be deleted.")
        )

    # ------------------------------------------------------------------
    # Recording
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        receipts = super().create(vals_list)
        receipts._check_recordable()
        receipts._spm_protected()._create_payments()
        receipts._log_on_tasks()
        return receipts

    def _check_recordable(self):
        """The rep's receipts are checked before any payment exists."""
        for receipt in self:
            task = receipt.task_id
            if not task.has_access("write"):
                raise UserError(
                    self.env._(
                        "You may record money only on your own collection tasks: task "
                        "%(task)s is %(rep)s's.",
                        task=task.sudo().display_name,
                        rep=task.sudo().user_id.name or "-",
                    )
                )
            task._check_active()
            if receipt.currency_id.compare_amounts(receipt.amount, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The amount received must be positive, not %(amount)s.",
                        amount=receipt.amount,
                    )
                )
            # what awaits confirmation on the task, this receipt included
            left = task.amount_residual - task.amount_awaiting + receipt.amount
            if (
                not receipt.is_advance
                and receipt.currency_id.compare_amounts(receipt.amount, left) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(amount)s is more than the %(left)s left to collect on invoice "
                        "%(invoice)s (amount due less the money awaiting finance's "
                        "confirmation). Mark the receipt as an advance if the customer "
                        "paid ahead.",
                        amount=task._format_amount(receipt.amount, receipt.currency_id),
                        left=task._format_amount(max(left, 0.0), receipt.currency_id),
                        invoice=task.name,
                    )
                )
            # the receiving rep's day, not the clock a client sends in its context
            if receipt.date > spm_rep_today(receipt.user_id, receipt.company_id):
                raise ValidationError(
                    self.env._(
                        "A receipt cannot be dated in the future (%(date)s).",
                        date=format_date(self.env, receipt.date),
                    )
                )
            visit = receipt.visit_id
            if visit and visit.partner_id.commercial_partner_id != task.partner_id:
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s is at %(visit_customer)s, not at %(customer)s, the "
                        "customer of task %(task)s.",
                        visit=visit.name,
                        visit_customer=visit.partner_id.display_name,
                        customer=task.partner_id.display_name,
                        task=task.display_name,
                    )
                )
            if visit:
                visit._spm_check_money_at_visit()

    @api.model
    def _journal(self, company, method):
        """Cash in the company's cash journal, the rest in its bank journal."""
        journal_type = "cash" if method == "cash" else "bank"
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [("type", "=", journal_type), ("company_id", "=", company.id)],
                order="sequence, id",
                limit=1,
            )
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no %(type)s journal to record the payment in: "
                    "ask finance to create one.",
                    company=company.name,
                    type=journal_type,
                )
            )
        return journal

    def _create_payments(self):
        """One draft customer payment per receipt, created as the system (reps are no
        accounting users), its memo naming the invoice and the reference, the slip photo
        attached."""
        sequence = self.env["ir.sequence"].sudo()
        journals = {}
        vals_list = []
        for receipt in self:
            receipt.name = (
                sequence.with_company(receipt.company_id).next_by_code("spm.collection.receipt")
                or "/"
            )
            key = (receipt.company_id, receipt.method)
            if key not in journals:
                journals[key] = self._journal(*key)
            memo = " / ".join(filter(None, (receipt.task_id.name, receipt.reference, receipt.name)))
            vals_list.append(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": receipt.partner_id.id,
                    "amount": receipt.amount,
                    "currency_id": receipt.currency_id.id,
                    "date": receipt.date,
                    "journal_id": journals[key].id,
                    "company_id": receipt.company_id.id,
                    "memo": memo,
                    "invoice_ids": [(6, 0, receipt.task_id.move_id.ids)],
                }
            )
        payments = self.env["account.payment"].sudo().create(vals_list)
        attachments = []
        for receipt, payment in zip(self, payments, strict=True):
            receipt.payment_id = payment
            if receipt.slip_photo:
                raw = base64.b64decode(receipt.slip_photo)
                attachments.append(
                    {
                        "name": f"{receipt.name}-slip",
                        "res_model": "account.payment",
                        "res_id": payment.id,
                        "raw": raw,
                        "mimetype": guess_mimetype(raw),
                    }
                )
        if attachments:
            self.env["ir.attachment"].sudo().create(attachments)

    @api.model
    def _spm_awaiting_on(self, moves):
        """The receipts of field money on ``moves`` (invoices) that finance has not
        confirmed yet, as superuser."""
        return self.sudo().search(
            [("task_id.move_id", "in", moves.ids), ("state", "=", "awaiting")]
        )

    def _spm_check_room_left(self, left_open, currency, company, date):
        """Refuse money registered on the invoices of these awaiting receipts when what is
        left open of them afterwards (``left_open`` in ``currency``) is below the money
        the receipts await: that money is there already."""
        if not self:
            return
        awaiting = sum(
            receipt.currency_id._convert(receipt.amount, currency, company, date)
            for receipt in self.sudo()
        )
        if currency.compare_amounts(awaiting, left_open) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s a rep received in the field on these invoices awaits "
                    "your confirmation (%(receipts)s): confirm it by posting its payment, "
                    "or refuse it, before registering this money again; or register "
                    "only what is due beyond it.",
                    amount=formatLang(self.env, awaiting, currency_obj=currency),
                    receipts=", ".join(self.sudo().mapped("name")),
                )
            )

    def _method_label(self):
        return dict(self._fields["method"]._description_selection(self.env))[self.method]

    def _log_on_tasks(self):
        bodies = {}
        for receipt in self:
            bodies.setdefault(receipt.task_id.id, []).append(
                self.env._(
                    "%(user)s received %(amount)s by %(method)s (receipt %(receipt)s): "
                    "awaiting finance's confirmation.",
                    user=receipt.user_id.name,
                    amount=receipt.task_id._format_amount(receipt.amount, receipt.currency_id),
                    method=receipt._method_label(),
                    receipt=receipt.name,
                )
            )
        tasks = self.env["spm.collection.task"].sudo().browse(list(bodies))
        tasks._message_log_batch(bodies={task_id: "\n".join(b) for task_id, b in bodies.items()})

    # ------------------------------------------------------------------
    # Finance's actions
    # ------------------------------------------------------------------
    def _check_finance(self, what):
        if not (self.env.su or self.env.user.has_group(FINANCE_GROUP)):
            raise UserError(self.env._("Only an accounting user may %(what)s.", what=what))

    def _check_not_own(self):
        """Whoever received the money cannot confirm it."""
        for receipt in self.sudo():
            if receipt.user_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You received the money of receipt %(receipt)s yourself: another "
                        "person of finance must confirm its payment.",
                        receipt=receipt.name,
                    )
                )

    def action_confirm(self):
        """Finance confirms: the draft payment is posted (see ``account.payment``)."""
        self._check_finance(self.env._("confirm money received in the field"))
        for receipt in self.filtered(lambda receipt: receipt.state != "awaiting"):
            raise UserError(
                self.env._(
                    "Receipt %(receipt)s is not awaiting confirmation.", receipt=receipt.name
                )
            )
        self.sudo().payment_id.with_user(self.env.user).action_post()
        return True

    def _after_posted(self):
        """The payment is posted: the receipt is confirmed and the payment reconciled
        with the task's invoice where that is still open."""
        receipts = self.sudo()._spm_protected()
        receipts.write({"state": "confirmed"})
        plan = []
        for receipt in receipts:
            invoice = receipt.task_id.move_id
            payment_lines = receipt.payment_id.move_id.line_ids.filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
            )
            if invoice.state != "posted" or not payment_lines:
                continue
            accounts = payment_lines.account_id
            invoice_lines = invoice.line_ids.filtered(
                lambda line, accounts=accounts: line.account_id in accounts and not line.reconciled
            )
            if invoice_lines:
                plan.append(payment_lines | invoice_lines)
        if plan:  # all the receipts' matchings in one reconciliation, each on its own
            self.env["account.move.line"]._reconcile_plan(plan)
        bodies = {}
        for receipt in receipts:
            bodies.setdefault(receipt.task_id.id, []).append(
                self.env._(
                    "%(user)s confirmed the %(amount)s received by %(rep)s (receipt %(receipt)s).",
                    user=self.env.user.name,
                    amount=receipt.task_id._format_amount(receipt.amount, receipt.currency_id),
                    rep=receipt.user_id.name,
                    receipt=receipt.name,
                )
            )
        receipts.task_id._message_log_batch(
            bodies={task_id: "\n".join(b) for task_id, b in bodies.items()}
        )

    def _after_reset(self):
        """The posted payment went back to draft: the money awaits confirmation again."""
        self.sudo()._spm_protected().write({"state": "awaiting"})

    def _refuse(self, reason):
        """Finance refuses: the draft payment is cancelled, the task reopened, the rep
        told why on the task."""
        self._check_finance(self.env._("refuse money received in the field"))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the money is refused: the rep reads it."))
        for receipt in self.filtered(lambda receipt: receipt.state != "awaiting"):
            raise UserError(
                self.env._(
                    "Receipt %(receipt)s is not awaiting confirmation: only money awaiting "
                    "confirmation can be refused.",
                    receipt=receipt.name,
                )
            )
        receipts = self.sudo()._spm_protected()
        receipts.payment_id.action_cancel()  # a protected write: the refusal itself
        receipts.write({"state": "refused", "refusal_reason": reason})
        for receipt in receipts:
            receipt.task_id.message_post(
                body=self.env._(
                    "%(user)s refused the %(amount)s recorded by %(rep)s (receipt "
                    "%(receipt)s): %(reason)s",
                    user=self.env.user.name,
                    amount=receipt.task_id._format_amount(receipt.amount, receipt.currency_id),
                    rep=receipt.user_id.name,
                    receipt=receipt.name,
                    reason=reason,
                ),
                partner_ids=receipt.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_refuse_wizard(self):
        self._check_finance(self.env._("refuse money received in the field"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Money Received"),
            "res_model": "spm.collection.receipt.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_receipt_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # The receipt 收据
    # ------------------------------------------------------------------
    def _amount_in_words(self):
        """In Chinese, the capital numerals of receipts, after the currency's code when it
        is not the yuan (USD 壹仟元整), as on Chinese foreign-currency forms: Odoo's
        words have no Chinese."""
        self.ensure_one()
        if not (self.env.lang or "").startswith("zh"):
            return self.currency_id.amount_to_text(self.amount)
        words = chinese_capital_amount(self.amount)
        return words if self.currency_id.name == "CNY" else f"{self.currency_id.name} {words}"

    def _check_issuable(self):
        """A receipt is handed or sent for money finance has not refused."""
        refused = self.filtered(lambda receipt: receipt.state == "refused")
        if refused:
            raise UserError(
                self.env._(
                    "Receipt %(receipt)s was refused by finance: the money was not accepted, "
                    "so no receipt is given for it.",
                    receipt=refused[0].name,
                )
            )

    def action_send_receipt(self):
        self.ensure_one()
        self._check_issuable()
        template = self.env.ref("sales_process_mgmt.spm_collection_receipt_mail_template")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }
