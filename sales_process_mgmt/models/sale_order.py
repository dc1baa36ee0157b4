from odoo import fields, models

from .spm_protected_mixin import NOBODY

# States reached only through action_confirm (and the discount approval).
SPM_GUARDED_STATES = ("sale", "to_approve")
SPM_PROTECTED_FIELDS = (
    "state",
    "spm_discount_approval",
    "spm_discount_requested_by_id",
    "spm_credit_override_reason",
    "spm_credit_override_by_id",
    "spm_credit_override_date",
)
# Order fields the pricelist price of its lines depends on.
SPM_PRICING_FIELDS = {
    "pricelist_id",
    "currency_id",
    "fiscal_position_id",
    "date_order",
    "company_id",
}


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "spm.protected.mixin", "spm.input.mixin"]

    spm_visit_id = fields.Many2one(
        "spm.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The customer visit on which the order was taken.",
    )

    def _spm_protected_fields(self):
        # Confirming (and waiting for approval) goes through action_confirm, which runs
        # the credit hold, the discount floor and the discount budget.
        return dict.fromkeys(SPM_PROTECTED_FIELDS, NOBODY)

    def _spm_protected_value_allowed(self, fname, value):
        return fname == "state" and value not in SPM_GUARDED_STATES

    def _spm_protected_hint(self):
        return self.env._(
            "Confirm with the Confirm button (it checks the credit hold, the discount floor "
            "and the discount budget); the discount approval is set by the manager's Approve "
            "and Refuse buttons, the credit hold override by its wizard."
        )

    def write(self, vals):
        if (
            vals.get("state") not in (None, "to_approve", "cancel")
            and not self.env.su
            and any(order.state == "to_approve" for order in self)
        ):
            self._spm_check_discount_approver()
        if vals.get("state") == "draft" and not self._spm_is_protected_write():
            # An override covers the order as it was when the credit manager saw it:
            # an order reopened as a quotation (action_draft) loses it.
            vals = dict(
                vals,
                spm_credit_override_reason=False,
                spm_credit_override_by_id=False,
                spm_credit_override_date=False,
            )
        waiting = self.filtered(lambda order: order.state == "to_approve")
        if waiting:
            waiting._spm_check_waiting_orders_kept(vals)
        frozen = waiting._spm_frozen_while_waiting()
        # What the discount of a confirmed order is measured on, besides its lines.
        before = self._spm_discount_before_change() if SPM_PRICING_FIELDS & set(vals) else {}
        result = super().write(vals)
        if "date_order" in vals and vals.get("state") != "sale":
            # The confirmation dates the order without repricing it (as core keeps its
            # unit prices); any other new date reprices the lines' reference.
            self._spm_reprice_reference()
        if waiting:
            waiting._spm_check_waiting_orders_frozen(frozen)
        self._spm_discount_budget_adjust(before)
        return result

    def _recompute_prices(self):
        result = super()._recompute_prices()
        self._spm_reprice_reference()
        return result

    def _spm_reprice_reference(self):
        lines = self.order_line
        self.env.add_to_compute(lines._fields["spm_reference_price"], lines)

    def action_confirm(self):
        self._spm_check_credit_hold()
        Policy = self.env["spm.discount.policy"]
        found = Policy._search_for_orders(self)
        floors = Policy._get_floors_for_orders(self, found)
        policies = Policy._get_for_orders(self, found)
        # Pricelist prices only for the orders a floor or a budget applies to.
        bound = self.filtered(lambda order: floors[order] or policies[order].budget_enabled)
        reference_prices = bound.order_line._spm_reference_prices() if bound else {}
        self._spm_check_discount_floor(reference_prices, floors=floors)
        # The discount of the quotations under a budget, measured once for the hold and the
        # charge: nothing changes in between.
        budgeted = self.filtered(
            lambda order: policies[order].budget_enabled and order.state in ("draft", "sent")
        )
        candidates = budgeted._spm_discount_budget_candidates(reference_prices, policies)
        held = self._spm_discount_budget_hold(candidates)
        confirmed = (self - held)._spm_protected()
        result = super(SaleOrder, confirmed).action_confirm()
        # Only orders that really reached "sale" are charged (another hold may keep some back).
        confirmed.filtered(lambda order: order.state == "sale")._spm_discount_budget_charge(
            candidates=candidates
        )
        return result
