from collections import defaultdict
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, format_amount

from .sale_order import SPM_PRICING_FIELDS
from .spm_manager import manager_to_notify
from .spm_time import spm_today

DISCOUNT_APPROVAL_STATES = [
    ("requested", "Waiting for Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
# What the approval of a waiting order is decided on, besides its lines.
SPM_FROZEN_WHILE_WAITING = ("user_id", "team_id", "pricelist_id", "company_id")
# Key in the cursor's cache of the order writes applying line commands right now
# (see ``_spm_order_lines_written``).
SPM_ORDER_WRITE = "spm_order_write"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    state = fields.Selection(
        selection_add=[("to_approve", "To Approve"), ("sale",)],
        ondelete={"to_approve": "set default"},
    )
    spm_discount_approval = fields.Selection(
        DISCOUNT_APPROVAL_STATES,
        string="Discount Approval",
        readonly=True,
        copy=False,
        tracking=True,
    )
    spm_discount_requested_by_id = fields.Many2one(
        "res.users",
        string="Discount Approval Requested By",
        readonly=True,
        copy=False,
        help="The user whose confirmation put the order in To Approve: neither this user "
        "nor the salesperson may approve its discount.",
    )
    spm_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    spm_discount_amount = fields.Monetary(
        string="Discount Granted",
        compute="_compute_spm_discount_budget",
        currency_field="spm_company_currency_id",
        help="Pricelist price minus the price after discounts, times the quantity, over all "
        "lines including order-wide discount lines, in the company currency.",
    )
    spm_discount_budget_enabled = fields.Boolean(
        string="Discount Budget Applies", compute="_compute_spm_discount_budget"
    )
    spm_discount_budget = fields.Monetary(
        string="Discount Budget",
        compute="_compute_spm_discount_budget",
        currency_field="spm_company_currency_id",
        help="The salesperson's discount budget for the current period.",
    )
    spm_discount_budget_used = fields.Monetary(
        string="Budget Used",
        compute="_compute_spm_discount_budget",
        currency_field="spm_company_currency_id",
        help="Discounts of the salesperson's confirmed orders in the current period.",
    )
    spm_discount_budget_remaining = fields.Monetary(
        string="Budget Remaining",
        compute="_compute_spm_discount_budget",
        currency_field="spm_company_currency_id",
    )

    @api.depends(
        "order_line.price_unit",
        "order_line.discount",
        "order_line.product_uom_qty",
        "user_id",
        "team_id",
        "company_id",
        "currency_id",
        "state",
    )
    def _compute_spm_discount_budget(self):
        granted = self._spm_discount_granted()
        policies = self.env["spm.discount.policy"]._get_for_orders(self)
        charges = self._spm_discount_charges()
        keys = {}
        for order in self:
            policy = policies[order]
            if policy.budget_enabled and order.user_id:
                # A confirmed order shows the period it was charged to.
                charge = charges.get(order._origin.id)
                day = charge[1] if charge else order._spm_budget_day()
                keys[order] = (order.user_id.id, order.company_id.id, *policy._period_bounds(day))
        used = self.env["spm.discount.ledger"]._used_by(set(keys.values()))
        budgets = (
            self.env["spm.discount.policy"]
            .sudo()
            .union(*(policies[order] for order in keys))
            ._budgets_of(self.user_id)
        )
        for order in self:
            charge = charges.get(order._origin.id)
            # A confirmed order shows what was charged, not a live recomputation.
            order.spm_discount_amount = charge[0] if charge else granted[order]
            key = keys.get(order)
            if key:
                budget = budgets[policies[order], order.user_id]
                order.spm_discount_budget_enabled = True
                order.spm_discount_budget = budget
                order.spm_discount_budget_used = used[key]
                order.spm_discount_budget_remaining = budget - used[key]
            else:
                order.spm_discount_budget_enabled = False
                order.spm_discount_budget = 0.0
                order.spm_discount_budget_used = 0.0
                order.spm_discount_budget_remaining = 0.0

    def write(self, vals):
        if "order_line" not in vals:
            return super().write(vals)
        # The budget is adjusted once for the whole write, not per line command; with a
        # pricing field in ``vals`` the write of sale_order.py measures it around all.
        before = {} if SPM_PRICING_FIELDS & set(vals) else self._spm_discount_before_change()
        with self._spm_order_lines_written():
            result = super().write(vals)
        self._spm_discount_budget_adjust(before)
        return result

    def action_draft(self):
        """A cancelled order is not floor-checked (its lines may have changed meanwhile):
        it is when it becomes a quotation again."""
        result = super().action_draft()
        self.filtered(lambda order: order.state == "draft")._spm_check_discount_floor()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._spm_discount_budget_release()
        return result

    def action_spm_discount_approve(self):
        """Charge the discount to the rep's budget beyond its limit and confirm."""
        self._spm_check_discount_approver()
        self._spm_check_waiting_for_discount_approval()
        own = self.filtered(lambda order: order.user_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "%(orders)s: you are the salesperson of this order and may not approve "
                    "the discount beyond your own budget. Ask another discount approver.",
                    orders=", ".join(own.mapped("name")),
                )
            )
        requested = self.filtered(lambda order: order.spm_discount_requested_by_id == self.env.user)
        if requested:
            raise UserError(
                self.env._(
                    "%(orders)s: you confirmed this order and so asked for the approval of its "
                    "discount yourself; you may not approve it. Ask another discount approver.",
                    orders=", ".join(requested.mapped("name")),
                )
            )
        # Approvers who see only their own documents see an order while it waits for
        # approval (record rule): once it moves on, the approval continues as superuser.
        self = self.sudo()  # noqa: PLW0642
        self._spm_discount_budget_charge(approved_by=self.env.user)
        self._spm_protected().write({"state": "draft", "spm_discount_approval": "approved"})
        for order in self:
            order.message_post(
                body=self.env._(
                    "Discount of %(amount)s approved by %(manager)s beyond the budget of %(rep)s.",
                    amount=order._spm_format_amount(order.spm_discount_amount),
                    manager=self.env.user.name,
                    rep=order.user_id.name,
                )
            )
        self.activity_feedback(
            ["sales_process_mgmt.mail_activity_spm_discount_approval"],
            feedback=self.env._("Approved"),
        )
        return self.action_confirm()

    def action_spm_discount_refuse(self):
        """Send the order back to quotation: the rep must reduce the discount."""
        self._spm_check_discount_approver()
        self._spm_check_waiting_for_discount_approval()
        self = self.sudo()  # noqa: PLW0642 (see action_spm_discount_approve)
        # The rep changes the order now: a credit override does not cover the new one.
        self._spm_protected().write(
            {
                "state": "draft",
                "spm_discount_approval": "refused",
                "spm_credit_override_reason": False,
                "spm_credit_override_by_id": False,
                "spm_credit_override_date": False,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Discount of %(amount)s refused by %(manager)s: the order is back to "
                    "quotation. Reduce the discount or ask again.",
                    amount=order._spm_format_amount(order.spm_discount_amount),
                    manager=self.env.user.name,
                )
            )
        self.activity_feedback(
            ["sales_process_mgmt.mail_activity_spm_discount_approval"],
            feedback=self.env._("Refused"),
        )
        return True

    def _spm_check_discount_approver(self):
        if not self.env.su and not self.env.user.has_group(
            "sales_process_mgmt.group_spm_discount_approver"
        ):
            raise AccessError(
                self.env._(
                    "Only discount approvers (sales managers) may approve or refuse an order "
                    "waiting for discount approval."
                )
            )

    def _spm_check_waiting_for_discount_approval(self):
        not_waiting = self.filtered(lambda order: order.state != "to_approve")
        if not_waiting:
            raise UserError(
                self.env._(
                    "%(orders)s is not waiting for discount approval.",
                    orders=", ".join(not_waiting.mapped("name")),
                )
            )

    def _spm_discount_measured(self):
        """These orders but those no discount floor or budget applies to."""
        Policy = self.env["spm.discount.policy"]
        found = Policy._search_for_orders(self)
        floors = Policy._get_floors_for_orders(self, found)
        policies = Policy._get_for_orders(self, found)
        return self.filtered(lambda order: floors[order] or policies[order].budget_enabled)

    def _spm_discount_policy_exists(self):
        """Whether a discount policy exists for the companies of these orders (any team:
        the salesperson may change the team)."""
        return bool(
            self.env["spm.discount.policy"]
            .sudo()
            .search_count([("company_id", "in", self.company_id.ids)], limit=1)
        )

    def _spm_frozen_while_waiting(self):
        """``{order id: values}`` of what an order waiting for approval is decided on,
        read as superuser: the writer may lose read access by reassigning the order."""
        return {
            order.id: tuple(order[fname].id for fname in SPM_FROZEN_WHILE_WAITING)
            for order in self.sudo()
        }

    def _spm_check_waiting_orders_frozen(self, before):
        """An order waiting for discount approval is decided as it stands: its salesperson
        (whose budget it is charged to and who may not approve it), team, pricelist and
        company do not change meanwhile, whoever writes and however."""
        changed = self.sudo().filtered(
            lambda order: order._spm_frozen_while_waiting()[order.id] != before[order.id]
        )
        self._spm_refuse_change_while_waiting(changed)

    def _spm_check_waiting_orders_kept(self, vals):
        """Refuse, before writing, a value written for what a waiting order is decided on."""
        changed = self.sudo().filtered(
            lambda order: any(
                order[fname].id
                != (self._fields[fname].convert_to_cache(vals[fname], order) or False)
                for fname in SPM_FROZEN_WHILE_WAITING
                if fname in vals
            )
        )
        self._spm_refuse_change_while_waiting(changed)

    def _spm_refuse_change_while_waiting(self, changed):
        if changed:
            raise UserError(
                self.env._(
                    "%(orders)s waits for discount approval: its salesperson, sales team, "
                    "pricelist and company cannot change meanwhile. Ask a manager to refuse "
                    "the discount to get the quotation back, or cancel the order.",
                    orders=", ".join(changed.mapped("name")),
                )
            )

    def _spm_format_amount(self, amount):
        self.ensure_one()
        return format_amount(self.env, amount, self.company_id.currency_id)

    @contextmanager
    def _spm_order_lines_written(self):
        """Scope of an order write applying its line commands (a form save sends one per
        edited line). What measures the whole order runs once per order, not once per
        line command: the floor of the lines written in the scope is checked when the
        outermost scope ends, before the write returns (``_spm_defer_floor_check``); the
        budget adjustment and the credit hold on an increase of these orders are measured
        by the order write around the scope (``_spm_outside_order_write``)."""
        cache = self.env.cr.cache
        state = cache.get(SPM_ORDER_WRITE)
        outermost = state is None
        if outermost:
            state = cache[SPM_ORDER_WRITE] = {"covered": [], "floor": defaultdict(set)}
        state["covered"].append(frozenset(self.ids))
        try:
            yield
        finally:
            state["covered"].pop()
            if outermost:
                del cache[SPM_ORDER_WRITE]
        if outermost and state["floor"]:
            orders = self.browse(list(state["floor"]))
            written = set().union(*state["floor"].values())
            # Lines deleted by a later command of the same write are gone.
            lines = orders.order_line.filtered(lambda line: line.id in written)
            orders._spm_check_discount_floor(lines=lines)

    def _spm_outside_order_write(self):
        """These orders but those whose write is applying line commands right now: that
        write measures them once, around all its commands."""
        state = self.env.cr.cache.get(SPM_ORDER_WRITE)
        if not state or not state["covered"]:
            return self
        covered = frozenset().union(*state["covered"])
        return self.filtered(lambda order: order.id not in covered)

    def _spm_defer_floor_check(self, lines):
        """Within an order write applying line commands, keep ``lines`` for the floor
        check at its end and return True; else return False (check them now)."""
        state = self.env.cr.cache.get(SPM_ORDER_WRITE)
        if state is None:
            return False
        for line in lines:
            state["floor"][line.order_id.id].add(line.id)
        return True

    def _spm_check_discount_floor(self, reference_prices=None, floors=None, lines=None):
        """Refuse any line beyond the floor (底线) of the order's discount policy.

        Order-wide discount lines (negative lines) are spread over the product lines in
        proportion to their amount. ``lines``: check only these product lines (the ones
        just changed); an order with order-wide reductions is checked whole, as any
        line's amount changes every line's share.
        """
        orders = self.filtered(lambda order: order.state != "cancel")
        if not orders:
            return
        if floors is None:
            floors = self.env["spm.discount.policy"]._get_floors_for_orders(orders)
        orders = orders.filtered(lambda order: floors[order])
        if not orders:
            return
        if lines is not None:
            # With an order-wide reduction, any line's amount moves every line's share.
            lines |= orders.filtered(
                lambda order: any(line._spm_is_reduction() for line in order.order_line)
            ).order_line
        checked = orders.order_line if lines is None else lines
        if reference_prices is None:
            reference_prices = checked._spm_reference_prices()
        for order in orders:
            product_lines, reductions = order.order_line._spm_split_for_discount()
            share = order._spm_reduction_share(product_lines, reductions)
            if lines is not None:
                product_lines &= lines
            for policy in floors[order]:
                rules = policy._floor_rules()
                for line in product_lines:
                    order._spm_check_line_floor(line, policy, rules, reference_prices[line], share)

    def _spm_reduction_share(self, product_lines, reductions):
        """Share of the product lines' amount the order-wide reductions take away."""
        reduction = -sum(reductions.mapped("price_subtotal")) if reductions else 0.0
        if reduction <= 0:
            return 0.0
        positive = sum(product_lines.mapped("price_subtotal"))
        return min(1.0, reduction / positive) if positive > 0 else 1.0

    def _spm_check_line_floor(self, line, policy, rules, reference_price, share):
        self.ensure_one()
        order = self
        if policy.floor_discount_enabled:
            floor, floor_line = policy._max_discount_for(line.product_id, rules)
            discount = line._spm_discount_percent(reference_price, share)
            if float_compare(discount, floor, precision_digits=2) > 0:
                raise ValidationError(
                    order._spm_floor_message(
                        line,
                        self.env._("a discount of %.2f%%", discount),
                        self.env._("the maximum discount of %.2f%%", floor),
                        policy._describe_floor(floor_line),
                        share,
                    )
                )
        if policy.floor_margin_enabled:
            margin = line._spm_margin_percent(share)
            if (
                margin is not None
                and float_compare(margin, policy.min_margin, precision_digits=2) < 0
            ):
                raise ValidationError(
                    order._spm_floor_message(
                        line,
                        self.env._("a margin of %.2f%%", margin),
                        self.env._("the minimum margin of %.2f%%", policy.min_margin),
                        self.env._(
                            'discount policy "%(policy)s", minimum margin',
                            policy=policy.display_name,
                        ),
                        share,
                    )
                )

    def _spm_floor_message(self, line, value, floor, origin, share):
        self.ensure_one()
        message = self.env._(
            'Order %(order)s, line "%(line)s": %(value)s breaks the floor (底线) of %(floor)s '
            "set by %(origin)s.",
            order=self.name,
            line=line.name.splitlines()[0] if line.name else line.product_id.display_name,
            value=value,
            floor=floor,
            origin=origin,
        )
        if share:
            message += " " + self.env._(
                "This includes the order-wide discount lines (%.2f%% of the order).", share * 100
            )
        return (
            message
            + " "
            + self.env._("Nobody may go below the floor: raise the price or lower the discount.")
        )

    def _spm_budget_day(self):
        """Today on the salesperson's clock (else the company's): the budget period an
        order counts in does not depend on who confirms it, nor where."""
        self.ensure_one()
        return spm_today(self.user_id, self.company_id)

    def _spm_discount_granted(self, reference_prices=None):
        """Discount granted per order in the company currency:
        sum of (pricelist price - unit price after discounts) * quantity, order-wide discount
        lines included, prices raised above the pricelist counting as no discount."""
        granted = {}
        if reference_prices is None:
            reference_prices = self.order_line._spm_reference_prices()
        for order in self:
            amount = 0.0
            product_lines, reductions = order.order_line._spm_split_for_discount()
            for line in reductions:
                amount -= line._spm_net_unit_price() * line.product_uom_qty
            for line in product_lines:
                gap = reference_prices[line] - line._spm_net_unit_price()
                amount += max(0.0, gap) * line.product_uom_qty
            company = order.company_id or self.env.company
            currency = order.currency_id or company.currency_id
            granted[order] = currency._convert(
                amount,
                company.currency_id,
                company,
                order.date_order or fields.Datetime.now(),
            )
        return granted

    def _spm_discount_charges(self):
        """``{order id: (net amount charged, budget period date)}`` of confirmed orders."""
        ids = [order._origin.id for order in self if order.state == "sale" and order._origin.id]
        if not ids:
            return {}
        rows = (
            self.env["spm.discount.ledger"]
            .sudo()
            ._read_group([("order_id", "in", ids)], ["order_id"], ["amount:sum", "period_date:max"])
        )
        return {order.id: (amount, period) for order, amount, period in rows}

    def _spm_discount_charged(self):
        """Net amount charged to the budget per order id (charges minus releases)."""
        orders = self.filtered("id")
        if not orders:
            return {}
        rows = (
            self.env["spm.discount.ledger"]
            .sudo()
            ._read_group([("order_id", "in", orders.ids)], ["order_id"], ["amount:sum"])
        )
        return {order.id: amount for order, amount in rows}

    def _spm_discount_budget_candidates(self, reference_prices=None, policies=None):
        """``[(order, policy, discount)]``: the orders of this batch subject to a budget
        that have not been charged yet. An order with a discount but no salesperson is
        refused: its discount would be charged to nobody's budget."""
        if not self:
            return []
        if policies is None:
            policies = self.env["spm.discount.policy"]._get_for_orders(self)
        orders = self.filtered(lambda order: policies[order].budget_enabled)
        charged = orders._spm_discount_charged()
        orders = orders.filtered(lambda order: charged.get(order.id, 0.0) <= 0)
        if not orders:
            return []
        granted = orders._spm_discount_granted(reference_prices)
        candidates = []
        for order in orders.sorted("id"):
            if order.company_id.currency_id.compare_amounts(granted[order], 0.0) <= 0:
                continue
            order._spm_check_salesperson_for_budget(policies[order], granted[order])
            candidates.append((order, policies[order], granted[order]))
        return candidates

    def _spm_check_salesperson_for_budget(self, policy, amount):
        self.ensure_one()
        if not self.user_id:
            raise UserError(
                self.env._(
                    "%(order)s grants a discount of %(amount)s but has no salesperson: "
                    "discount policy %(policy)s charges discounts to the salesperson's "
                    "budget. Set the salesperson, then confirm again.",
                    order=self.name,
                    amount=self._spm_format_amount(amount),
                    policy=policy.display_name,
                )
            )

    def _spm_discount_before_change(self):
        """Discount granted by the confirmed orders under a budget, before their lines
        change (see ``_spm_discount_budget_adjust``)."""
        orders = self.filtered(lambda order: order.state == "sale")
        if not orders:
            return {}
        policies = self.env["spm.discount.policy"]._get_for_orders(orders)
        orders = orders.filtered(lambda order: policies[order].budget_enabled)
        return orders._spm_discount_granted() if orders else {}

    def _spm_discount_budget_adjust(self, before):
        """Charge a discount grown after confirmation to the rep's budget of today's
        period, refusing growth beyond what is left; give a reduced one back to the period
        it was charged to."""
        if not before:
            return
        orders = self.browse([order.id for order in before])
        after = orders._spm_discount_granted()
        policies = self.env["spm.discount.policy"]._get_for_orders(orders)
        charged = orders._spm_discount_charged()
        Ledger = self.env["spm.discount.ledger"].sudo()
        for order in orders:
            currency = order.company_id.currency_id
            policy = policies[order]
            diff = after[order] - before[order]
            if currency.compare_amounts(diff, 0.0) > 0:
                order._spm_check_salesperson_for_budget(policy, after[order])
                order._spm_lock_discount_budgets()
                key = (
                    order.user_id.id,
                    order.company_id.id,
                    *policy._period_bounds(order._spm_budget_day()),
                )
                budget = policy._budgets_of(order.user_id)[policy, order.user_id]
                left = budget - Ledger._used_by({key})[key]
                if currency.compare_amounts(diff, left) > 0:
                    raise UserError(
                        self.env._(
                            "%(order)s is confirmed: the change raises its discount by "
                            "%(amount)s, beyond the remaining discount budget of "
                            "%(remaining)s of %(rep)s. Lower the discount, or cancel the "
                            "order and confirm it again to ask a manager's approval.",
                            order=order.name,
                            amount=order._spm_format_amount(diff),
                            remaining=order._spm_format_amount(left),
                            rep=order.user_id.name,
                        )
                    )
                Ledger.create(
                    {
                        "kind": "charge",
                        "date": order._spm_budget_day(),
                        "period_date": order._spm_budget_day(),
                        "user_id": order.user_id.id,
                        "company_id": order.company_id.id,
                        "amount": diff,
                        "order_id": order.id,
                        "policy_id": policy.id,
                        "note": self.env._(
                            "%(order)s changed after confirmation", order=order.name
                        ),
                    }
                )
            elif currency.compare_amounts(diff, 0.0) < 0:
                give_back = min(-diff, charged.get(order.id, 0.0))
                if currency.compare_amounts(give_back, 0.0) <= 0:
                    continue
                last = Ledger.search_fetch(
                    [("order_id", "=", order.id), ("kind", "=", "charge")],
                    ["period_date", "user_id", "company_id", "policy_id"],
                    order="id desc",
                    limit=1,
                )
                Ledger.create(
                    {
                        "kind": "release",
                        "date": order._spm_budget_day(),
                        "period_date": last.period_date,
                        "user_id": last.user_id.id,
                        "company_id": last.company_id.id,
                        "amount": -give_back,
                        "order_id": order.id,
                        "policy_id": last.policy_id.id,
                        "note": self.env._(
                            "%(order)s changed after confirmation", order=order.name
                        ),
                    }
                )

    def _spm_lock_discount_budgets(self):
        """Serialize budget decisions per salesperson, as usage is summed per rep across
        policies: a no-op update of the reps' user rows makes a concurrent confirmation
        for the same rep fail with a serialization error, and the server retries it."""
        user_ids = tuple(set(self.user_id.ids))
        if user_ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_users SET write_date = write_date WHERE id IN %s",
                    user_ids,
                )
            )

    def _spm_check_lines_editable(self):
        """An order waiting for discount approval is decided as it stands."""
        if self._spm_is_protected_write():
            return
        waiting = self.filtered(lambda order: order.state == "to_approve")
        if waiting:
            raise UserError(
                self.env._(
                    "%(orders)s waits for discount approval: its lines cannot be changed "
                    "meanwhile. Ask a manager to refuse the discount to get the quotation "
                    "back, or cancel the order.",
                    orders=", ".join(waiting.mapped("name")),
                )
            )

    def _spm_discount_budget_hold(self, candidates):
        """Put the orders of ``candidates`` (``_spm_discount_budget_candidates()`` of the
        quotations being confirmed) that would exceed their rep's remaining budget in
        "To Approve"; return them."""
        held = self.browse()
        if not candidates:
            return held
        self.browse([order.id for order, __, __ in candidates])._spm_lock_discount_budgets()
        keys = {
            order: (
                order.user_id.id,
                order.company_id.id,
                *policy._period_bounds(order._spm_budget_day()),
            )
            for order, policy, __ in candidates
        }
        used = self.env["spm.discount.ledger"]._used_by(set(keys.values()))
        budgets = (
            self.env["spm.discount.policy"]
            .sudo()
            .union(*(policy for __, policy, __ in candidates))
            ._budgets_of(self.browse([order.id for order, __, __ in candidates]).user_id)
        )
        consumed = defaultdict(float)
        remaining = {}
        for order, policy, amount in candidates:
            key = keys[order]
            left = budgets[policy, order.user_id] - used[key] - consumed[key]
            if order.company_id.currency_id.compare_amounts(amount, left) > 0:
                held |= order
                remaining[order] = left
            else:
                consumed[key] += amount
        if held:
            held._spm_discount_request_approval(remaining)
        return held

    def _spm_discount_request_approval(self, remaining):
        self._spm_protected().write(
            {
                "state": "to_approve",
                "spm_discount_approval": "requested",
                "spm_discount_requested_by_id": self.env.user.id,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "The discount of %(amount)s exceeds the remaining discount budget of "
                    "%(remaining)s of %(rep)s: the order waits for a manager's approval.",
                    amount=order._spm_format_amount(order.spm_discount_amount),
                    remaining=order._spm_format_amount(remaining[order]),
                    rep=order.user_id.name,
                )
            )
            approver = order._spm_discount_approver_to_ask()
            if approver:
                order.activity_schedule(
                    "sales_process_mgmt.mail_activity_spm_discount_approval",
                    user_id=approver.id,
                    note=self.env._("Approve or refuse the discount of this order."),
                )

    def _spm_discount_approver_to_ask(self):
        """The team leader, else the first discount approver of the company; never the
        order's own salesperson nor the user who asked, who may not approve it."""
        self.ensure_one()
        return manager_to_notify(
            self.env(su=True),
            self.company_id,
            "sales_process_mgmt.group_spm_discount_approver",
            leaders=(self.team_id.user_id,),
            excluded=self.user_id | self.spm_discount_requested_by_id,
        )

    def _spm_discount_budget_charge(self, approved_by=None, candidates=None):
        """Charge the discount of these orders to their rep's budget of this period.
        ``candidates``: their ``_spm_discount_budget_candidates()``, if known."""
        if candidates is None:
            candidates = self._spm_discount_budget_candidates()
        candidates = [candidate for candidate in candidates if candidate[0] in self]
        if not candidates:
            return
        self.env["spm.discount.ledger"].sudo().create(
            [
                {
                    "kind": "charge",
                    "date": order._spm_budget_day(),
                    "period_date": order._spm_budget_day(),
                    "user_id": order.user_id.id,
                    "company_id": order.company_id.id,
                    "amount": amount,
                    "order_id": order.id,
                    "policy_id": policy.id,
                    "approved_by_id": approved_by.id if approved_by else False,
                    "note": order.name,
                }
                for order, policy, amount in candidates
            ]
        )

    def _spm_discount_budget_release(self):
        """Give the discount of cancelled orders back to the budget it was charged to."""
        charged = {
            oid: amount for oid, amount in self._spm_discount_charged().items() if amount > 0
        }
        if not charged:
            return
        Ledger = self.env["spm.discount.ledger"].sudo()
        last_charges = {}
        for entry in Ledger.search_fetch(
            [("order_id", "in", list(charged)), ("kind", "=", "charge")],
            ["order_id", "period_date", "user_id", "company_id", "policy_id"],
            order="id",
        ):
            last_charges[entry.order_id.id] = entry
        today = fields.Date.context_today(self)
        Ledger.create(
            [
                {
                    "kind": "release",
                    "date": today,
                    "period_date": last_charges[order_id].period_date,
                    "user_id": last_charges[order_id].user_id.id,
                    "company_id": last_charges[order_id].company_id.id,
                    "amount": -amount,
                    "order_id": order_id,
                    "policy_id": last_charges[order_id].policy_id.id,
                    "note": last_charges[order_id].order_id.name,
                }
                for order_id, amount in charged.items()
            ]
        )

    # ------------------------------------------------------------------
