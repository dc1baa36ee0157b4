"""A logged-in rep's JSON-RPC client tries to walk around the rules.

Each entry of ``HOSTILE`` is a list of calls to ``/web/dataset/call_kw`` made after
``/web/session/authenticate``, as any client can make them. Each must be refused with a
readable message (an Odoo exception whose message is a sentence, never a traceback or a
database error) and leave the watched records as they were. Entries run one per test
method, each in its own rolled-back transaction.

Demo data this relies on (``sales_process_mgmt/demo``), checked by
``test_demo_data_assumptions``:

- users ``rep`` / ``rep`` (王磊, salesman) and ``admin`` / ``admin``;
- 上海华通 (``spm_partner_huatong_demo``) is on credit hold: its invoice is 45 days
  overdue, beyond the default collection rule's 30 days, so its demo quotation cannot be
  confirmed;
- 南京路旗舰店 (``spm_partner_nanjinglu_demo``) is the rep's customer, not on hold, with
  a confirmed demo order of the rep (``spm_sale_order_nanjinglu_demo``);
- the company's discount policy (``spm_discount_policy_demo``) has a floor of 15 %
  discount and 10 % margin: a unit price of 1 for the 星耀 S1 phone (list price 2,399)
  breaks it;
- 锦程 (``spm_partner_jincheng_demo``) has an open collection task of the rep;
- the rep has no visit in progress and a planned visit at 华通
  (``spm_visit_wang_huatong_2_demo``).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from e2e_common import HttpEndToEndCase

from odoo import fields
from odoo.exceptions import UserError

# Words that give away a traceback or a database error instead of a message for a user.
NOT_FOR_USERS = (
    "psycopg2",
    "Traceback",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "NotImplementedError",
    "Expected singleton",
)

FLOOR = r"floor"
CREDIT_HOLD = r"credit hold"
# a client may not set the flags of Odoo's own down-payment and expense lines
FLAG_REFUSED = r"(?i)down ?payment|expense|cannot be written directly"


@dataclass
class Step:
    model: str
    method: str
    args: list
    kwargs: dict = field(default_factory=dict)
    # when this step is the one refused, its message must match this
    refusal: str = ""


@dataclass
class Hostile:
    name: str
    steps: object  # (test) -> [Step]: the calls, in order; the first refusal ends them
    watch: object  # (test) -> value: what must be the same before and after
    login: str = "rep"
    prepare: object = None  # (test) -> None: ORM set-up before the calls
    # False for entries whose rule is about the result (``then``) and for read-only
    # calls, where a clean answer is as good as a clean refusal
    must_refuse: bool = True
    # a check after the calls
    then: object = None


def rows(test, model, records, fnames):
    return test.env[model].sudo().browse(records.ids).read(fnames)


def count(test, model, domain):
    return test.env[model].sudo().with_context(active_test=False).search_count(domain)


def check_in_at_customer(test, visit):
    # where a phone at the customer's door is (its GPS gives WGS-84)
    latitude, longitude = visit.partner_id._spm_wgs84_position()
    visit.with_user(test.rep).action_check_in(latitude=latitude, longitude=longitude)


def order_watch(test, order):
    return (
        rows(test, "sale.order", order, ["state", "spm_discount_approval", "partner_id"]),
        rows(test, "sale.order.line", order.order_line, ["price_unit", "product_uom_qty"]),
        count(test, "spm.discount.ledger", [("order_id", "=", order.id)]),
    )


def flagged_line(flag):
    return lambda t: [
        Step(
            "sale.order.line",
            "create",
            [
                {
                    "order_id": t.quotation.id,
                    "product_id": t.phone.id,
                    "product_uom_qty": 5,
                    "price_unit": 1,
                    flag: True,
                }
            ],
            refusal=FLAG_REFUSED,
        ),
        Step("sale.order", "action_confirm", [t.quotation.ids], refusal=FLOOR),
    ]


def close_request(request):
    request.write({"resolution": "<p>Replaced the screen</p>", "state": "resolved"})
    request.write({"state": "closed"})


def not_verified(test):
    visit = test.visit.sudo()
    test.assertFalse(visit.location_verified, "verified against coordinates the rep moved")
    test.assertNotEqual(visit.location_status, "verified")


def receivable(moves):
    return moves.line_ids.filtered(lambda line: line.account_type == "asset_receivable")


def money_awaiting_and_a_credit_note(test):
    """The rep records all that is due on 锦程's invoice as received; a credit note of the
    same amount is posted: matching both would collect the money twice."""
    task = test.task.sudo()
    test.env["spm.collection.receipt"].with_user(test.rep).create(
        {"task_id": task.id, "amount": task.amount_residual, "method": "cash"}
    )
    refund = test.env["account.move"].create(
        {
            "move_type": "out_refund",
            "partner_id": task.move_id.partner_id.id,
            "invoice_line_ids": [
                (0, 0, {"name": "Returned", "price_unit": task.amount_residual, "tax_ids": []})
            ],
        }
    )
    refund.action_post()
    test.matched = receivable(task.move_id) | receivable(refund)


HOSTILE = [
    Hostile(
        "down_payment_flag_on_a_cheap_line_then_confirm",
        flagged_line("is_downpayment"),
        lambda t: (rows(t, "sale.order", t.quotation, ["state"]), order_watch(t, t.quotation)[2]),
    ),
    Hostile(
        "expense_flag_on_a_cheap_line_then_confirm",
        flagged_line("is_expense"),
        lambda t: (rows(t, "sale.order", t.quotation, ["state"]), order_watch(t, t.quotation)[2]),
    ),
    Hostile(
        "down_payment_flag_and_price_1_on_a_confirmed_line",
        lambda t: [
            Step(
                "sale.order.line",
                "write",
                [t.confirmed_line.ids, {"is_downpayment": True, "price_unit": 1}],
            )
        ],
        lambda t: (
            rows(t, "sale.order.line", t.confirmed_line, ["is_downpayment", "price_unit"]),
            order_watch(t, t.confirmed),
        ),
    ),
    Hostile(
        "confirmed_order_moved_to_a_held_customer_and_raised",
        lambda t: [
            Step(
                "sale.order",
                "write",
                [
                    t.confirmed.ids,
                    {
                        "partner_id": t.held.id,
                        "partner_invoice_id": t.held.id,
                        "partner_shipping_id": t.held.id,
                    },
                ],
                refusal=CREDIT_HOLD,
            ),
            Step(
                "sale.order",
                "write",
                [
                    t.confirmed.ids,
                    {
                        "order_line": [
                            (1, t.confirmed_line.id, {"product_uom_qty": t.confirmed_qty + 50})
                        ]
                    },
                ],
                refusal=CREDIT_HOLD,
            ),
        ],
        lambda t: order_watch(t, t.confirmed),
    ),
    Hostile(
        "visit_customer_changed_after_check_in",
        lambda t: [Step("spm.visit", "write", [t.visit.ids, {"partner_id": t.other.id}])],
        lambda t: (
            rows(t, "spm.visit", t.visit, ["partner_id", "state", "location_verified"]),
            rows(t, "res.partner", t.other, ["spm_last_visit_date", "spm_next_visit_due"]),
        ),
        prepare=lambda t: check_in_at_customer(t, t.visit),
    ),
    Hostile(
        "rep_moves_the_customer_to_where_he_stands_then_checks_in",
        lambda t: [
            Step(
                "res.partner",
                "write",
                [t.customer.ids, {"partner_latitude": 31.9, "partner_longitude": 121.9}],
            ),
            Step("spm.visit", "action_check_in", [t.visit.ids, 31.9, 121.9]),
        ],
        lambda t: None,
        must_refuse=False,
        then=not_verified,
    ),
    Hostile(
        "promise_dated_9999_12_31",
        lambda t: [
            Step(
                "spm.payment.promise",
                "create",
                [
                    {
                        "task_id": t.task.id,
                        "promised_date": "9999-12-31",
                        "amount": 100,
                        "reason": "Next year, for sure.",
                    }
                ],
            )
        ],
        lambda t: (
            count(t, "spm.payment.promise", [("task_id", "=", t.task.id)]),
            rows(t, "spm.collection.task", t.task, ["state", "planned_date", "deferral_count"]),
        ),
    ),
    Hostile(
        "check_in_with_booleans_for_coordinates",
        lambda t: [Step("spm.visit", "action_check_in", [t.visit.ids, True, True])],
        lambda t: rows(t, "spm.visit", t.visit, ["state", "check_in_time", "location_verified"]),
    ),
    Hostile(
        "zero_width_space_as_outcome_at_check_out",
        lambda t: [
            Step("spm.visit", "write", [t.visit.ids, {"outcome": "\u200b"}]),
            Step("spm.visit", "action_check_out", [t.visit.ids, 31.235, 121.475]),
        ],
        lambda t: rows(t, "spm.visit", t.visit, ["state", "check_out_time"]),
        prepare=lambda t: check_in_at_customer(t, t.visit),
    ),
    Hostile(
        "visit_created_with_a_string_for_the_customer",
        lambda t: [Step("spm.visit", "create", [{"partner_id": "abc"}])],
        lambda t: count(t, "spm.visit", []),
    ),
    Hostile(
        "visit_created_with_a_list_for_the_customer",
        lambda t: [Step("spm.visit", "create", [{"partner_id": [t.customer.id]}])],
        lambda t: count(t, "spm.visit", []),
    ),
    Hostile(
        "promise_with_a_string_for_the_task",
        lambda t: [
            Step(
                "spm.payment.promise",
                "create",
                [
                    {
                        "task_id": "abc",
                        "promised_date": str(t.in_a_week),
                        "amount": 100,
                        "reason": "Soon.",
                    }
                ],
            )
        ],
        lambda t: count(t, "spm.payment.promise", []),
    ),
    Hostile(
        "promise_on_february_30",
        lambda t: [
            Step(
                "spm.payment.promise",
                "create",
                [
                    {
                        "task_id": t.task.id,
                        "promised_date": "2026-02-30",
                        "amount": 100,
                        "reason": "End of February.",
                    }
                ],
            )
        ],
        lambda t: count(t, "spm.payment.promise", []),
    ),
    Hostile(
        "payday_true",
        lambda t: [Step("res.partner", "write", [t.customer.ids, {"spm_payday": True}])],
        lambda t: rows(t, "res.partner", t.customer, ["spm_payday"]),
    ),
    Hostile(
        "credit_rating_as_a_list",
        lambda t: [Step("res.partner", "write", [t.customer.ids, {"spm_credit_rating": ["A"]}])],
        lambda t: rows(t, "res.partner", t.customer, ["spm_credit_rating"]),
    ),
    Hostile(
        "finance_reconciles_a_credit_note_over_the_money_awaiting",
        lambda t: [
            Step(
                "account.move.line",
                "reconcile",
                [t.matched.ids],
                refusal=r"awaits your confirmation",
            )
        ],
        lambda t: rows(t, "account.move", t.task.move_id, ["amount_residual", "payment_state"]),
        login="admin",
        prepare=money_awaiting_and_a_credit_note,
    ),
    Hostile(
        "stale_archives_searched_with_in",
        lambda t: [
            Step("res.partner", "search_read", [[("spm_archive_stale", "in", [True])], ["id"]])
        ],
        lambda t: None,
        must_refuse=False,
    ),
    Hostile(
        "region_with_a_string_for_the_parent",
        lambda t: [
            Step("spm.region", "write", [t.region.ids, {"parent_id": "abc"}]),
        ],
        lambda t: rows(t, "spm.region", t.region, ["parent_id", "complete_name"]),
        login="admin",
    ),
    Hostile(
        "check_in_to_two_visits_at_once",
        lambda t: [
            Step("spm.visit", "action_check_in", [(t.visit | t.visit2).ids, 31.235, 121.475])
        ],
        lambda t: rows(t, "spm.visit", t.visit | t.visit2, ["state", "check_in_time"]),
    ),
    Hostile(
        "quotation_written_to_state_sale",
        lambda t: [Step("sale.order", "write", [t.floor_quotation.ids, {"state": "sale"}])],
        lambda t: order_watch(t, t.floor_quotation),
    ),
    Hostile(
        "discount_approval_written_directly",
        lambda t: [
            Step(
                "sale.order",
                "write",
                [t.floor_quotation.ids, {"spm_discount_approval": "approved"}],
            )
        ],
        lambda t: order_watch(t, t.floor_quotation),
    ),
    Hostile(
        "visit_marked_recorded_offline_by_the_client",
        lambda t: [Step("spm.visit", "write", [t.visit.ids, {"recorded_offline": True}])],
        lambda t: rows(t, "spm.visit", t.visit, ["recorded_offline"]),
    ),
    Hostile(
        "offline_action_log_forged_by_the_client",
        lambda t: [
            Step(
                "spm.visit.action",
                "create",
                [
                    {
                        "key": "forged",
                        "visit_id": t.visit.id,
                        "user_id": t.rep.id,
                        "kind": "check_in",
                        "device_time": "2026-03-02 02:00:00",
                        "received_time": "2026-03-02 02:00:00",
                        "recorded_time": "2026-03-02 02:00:00",
                        "result": "applied",
                    }
                ],
            )
        ],
        lambda t: count(t, "spm.visit.action", [("visit_id", "=", t.visit.id)]),
    ),
    Hostile(
        "offline_action_recorded_through_the_private_method",
        lambda t: [Step("spm.visit.action", "_spm_record", [[{"key": "forged"}]])],
        lambda t: count(t, "spm.visit.action", []),
    ),
    Hostile(
        "offline_replay_with_wrong_values",
        lambda t: [
            Step(
                "spm.visit",
                "spm_replay_action",
                [],
                kwargs={
                    "key": ["k"],
                    "kind": "check_in",
                    "visit_id": t.visit.id,
                    "device_time": "2026-03-02 02:00:00",
                },
                refusal="key",
            ),
        ],
        lambda t: rows(t, "spm.visit", t.visit, ["state", "check_in_time", "recorded_offline"]),
    ),
    Hostile(
        "offline_replay_dated_in_the_future",
        lambda t: [
            Step(
                "spm.visit",
                "spm_replay_action",
                [],
                kwargs={
                    "key": "k-future",
                    "kind": "check_in",
                    "visit_id": t.visit.id,
                    "device_time": "2999-01-01 00:00:00",
                },
                refusal="clock",
            ),
        ],
        lambda t: rows(t, "spm.visit", t.visit, ["state", "check_in_time", "recorded_offline"]),
    ),
    Hostile(
        "protected_write_context_key_sent_by_the_client",
        lambda t: [
            Step(
                "sale.order",
                "write",
                [t.floor_quotation.ids, {"state": "sale"}],
                kwargs={"context": {"spm_protected_write": True}},
            ),
            Step(
                "spm.visit",
                "write",
                [t.visit.ids, {"state": "done", "location_verified": True}],
                kwargs={"context": {"spm_protected_write": True}},
            ),
        ],
        lambda t: (
            order_watch(t, t.floor_quotation),
            rows(t, "spm.visit", t.visit, ["state", "location_verified"]),
        ),
    ),
    Hostile(
        "rep_writes_the_satisfaction_of_his_service_request",
        lambda t: [
            Step("spm.service.request", "write", [t.request.ids, {"satisfaction": 5}]),
            Step(
                "spm.service.request",
                "create",
                [{"subject": "Rated by the rep", "partner_id": t.customer.id, "satisfaction": 5}],
            ),
        ],
        lambda t: (
            rows(t, "spm.service.request", t.request, ["satisfaction"]),
            count(t, "spm.service.request", [("satisfaction", "!=", 0)]),
        ),
    ),
    Hostile(
        "rep_clears_the_breach_of_his_late_service_request",
        lambda t: [
            Step(
                "spm.service.request",
                "write",
                [
                    t.request.ids,
                    {
                        "response_breached": False,
                        "first_response_date": fields.Datetime.to_string(t.request.create_date),
                        "escalated": False,
                    },
                ],
            )
        ],
        lambda t: rows(
            t,
            "spm.service.request",
            t.request,
            ["response_breached", "first_response_date", "escalated", "sla_breached"],
        ),
        prepare=lambda t: t.request._spm_protected().write(
            {"response_breached": True, "escalated": True}
        ),
    ),
    Hostile(
        "rep_resolves_his_service_request_without_a_resolution_by_a_write",
        lambda t: [
            Step("spm.service.request", "write", [t.request.ids, {"state": "resolved"}]),
            Step(
                "spm.service.request",
                "write",
                [t.request.ids, {"state": "closed", "resolution": "<p><br></p>"}],
            ),
        ],
        lambda t: rows(t, "spm.service.request", t.request, ["state", "resolved_date"]),
    ),
    Hostile(
        "rep_creates_a_service_request_already_closed",
        lambda t: [
            Step(
                "spm.service.request",
                "create",
                [
                    {
                        "subject": "Closed at birth",
                        "partner_id": t.customer.id,
                        "state": "closed",
                        "resolution": "<p>Nothing to do</p>",
                    }
                ],
            )
        ],
        lambda t: count(t, "spm.service.request", [("state", "=", "closed")]),
    ),
    Hostile(
        "rep_reopens_a_closed_service_request_by_a_write_or_without_a_reason",
        lambda t: [
            Step("spm.service.request", "write", [t.request.ids, {"state": "in_progress"}]),
            Step("spm.service.request", "action_reopen", [t.request.ids, "   "]),
            Step("spm.service.request", "action_reopen", [t.request.ids, 42]),
        ],
        lambda t: rows(t, "spm.service.request", t.request, ["state", "closed_date"]),
        prepare=lambda t: close_request(t.request),
    ),
    Hostile(
        "rep_takes_over_a_colleagues_service_request_at_his_customer",
        lambda t: [
            Step(
                "spm.service.request",
                "write",
                [t.colleague_request.ids, {"user_id": t.rep.id}],
                refusal=r"reassign",
            )
        ],
        lambda t: rows(t, "spm.service.request", t.colleague_request, ["user_id"]),
    ),
    Hostile(
        "rep_gives_himself_a_lax_service_level",
        lambda t: [
            Step(
                "spm.service.sla",
                "create",
                [
                    {
                        "priority": "3",
                        "request_type": "repair",
                        "response_hours": 99,
                        "resolution_hours": 999,
                    }
                ],
            ),
            Step("spm.service.sla", "write", [t.sla.ids, {"resolution_hours": 999}]),
        ],
        lambda t: (
            rows(t, "spm.service.sla", t.sla, ["resolution_hours"]),
            count(t, "spm.service.sla", []),
        ),
    ),
]


def target_watch(test):
    target = test.rep_target
    return (
        rows(test, "spm.rep.target", target, ["frozen", "date_from", "user_id"]),
        rows(test, "spm.rep.target.line", target.line_ids, ["duty", "target", "weight"]),
        count(test, "spm.rep.target", []),
        count(test, "spm.rep.scorecard.snapshot", [("target_id", "=", target.id)]),
    )


def target_attack(name, step, login="rep", frozen=False, refusal=""):
    """One call on the rep's demo target of last month (frozen first if ``frozen``)."""

    def steps(test):
        model, method, args = step(test)
        return [Step(model, method, args, refusal=refusal)]

    return Hostile(
        name,
        steps,
        target_watch,
        login=login,
        prepare=(lambda test: test.rep_target._spm_freeze()) if frozen else None,
    )


TARGET_ATTACKS = [
    target_attack(
        "rep_sets_himself_a_target",
        lambda t: (
            "spm.rep.target",
            "create",
            [
                {
                    "user_id": t.rep.id,
                    "date_from": "2030-01-01",
                    "line_ids": [(0, 0, {"duty": "sales", "target": 1, "weight": 100})],
                }
            ],
        ),
    ),
    target_attack(
        "rep_lowers_his_target",
        lambda t: ("spm.rep.target.line", "write", [t.rep_target.line_ids.ids, {"target": 1}]),
    ),
    target_attack(
        "rep_copies_his_target_to_the_next_period",
        lambda t: ("spm.rep.target", "action_copy_to_next_period", [t.rep_target.ids]),
    ),
    target_attack(
        "rep_deletes_his_target",
        lambda t: ("spm.rep.target", "unlink", [t.rep_target.ids]),
    ),
    target_attack(
        "manager_freezes_a_target_by_hand",
        lambda t: ("spm.rep.target", "write", [t.rep_target.ids, {"frozen": True}]),
        login="admin",
        refusal=r"never by hand",
    ),
    target_attack(
        "manager_unfreezes_a_frozen_target",
        lambda t: ("spm.rep.target", "write", [t.rep_target.ids, {"frozen": False}]),
        login="admin",
        frozen=True,
        refusal=r"never by hand",
    ),
    target_attack(
        "manager_lowers_a_frozen_target_through_its_lines",
        lambda t: (
            "spm.rep.target",
            "write",
            [t.rep_target.ids, {"line_ids": [(1, t.rep_target.line_ids[0].id, {"target": 1})]}],
        ),
        login="admin",
        frozen=True,
        refusal=r"closed",
    ),
    target_attack(
        "manager_clears_the_duties_of_a_frozen_target",
        lambda t: ("spm.rep.target", "write", [t.rep_target.ids, {"line_ids": [(5, 0, 0)]}]),
        login="admin",
        frozen=True,
        refusal=r"closed",
    ),
    target_attack(
        "manager_adds_a_duty_to_a_frozen_target",
        lambda t: (
            "spm.rep.target.line",
            "create",
            [{"target_id": t.rep_target.id, "duty": "funnel", "target": 9, "weight": 0}],
        ),
        login="admin",
        frozen=True,
        refusal=r"closed",
    ),
    target_attack(
        "manager_deletes_a_frozen_target",
        lambda t: ("spm.rep.target", "unlink", [t.rep_target.ids]),
        login="admin",
        frozen=True,
        refusal=r"closed",
    ),
]


def handover_watch(test):
    log = test.handover_log
    return (
        rows(test, "spm.handover.log", log, ["reason", "from_user_id", "to_user_id"]),
        rows(test, "spm.handover.log.line", log.line_ids, ["res_id", "old_value", "new_value"]),
        count(test, "spm.handover.log", []),
        rows(test, "res.users", test.rep, ["active"]),
        count(test, "res.partner", [("user_id", "=", test.rep.id)]),
    )


def handover_attack(name, step, login="rep", refusal="", context=None):
    """One call against the demo handover (李娜's Chengdu customer to 王磊) and its log."""

    def steps(test):
        model, method, args = step(test)
        kwargs = {"context": context} if context else {}
        return [Step(model, method, args, kwargs, refusal=refusal)]

    return Hostile(name, steps, handover_watch, login=login)


AUDIT = r"audit record"
HANDOVER_ATTACKS = [
    handover_attack(
        "rep_hands_his_customers_over",
        lambda t: (
            "spm.handover.wizard",
            "create",
            [{"from_user_id": t.rep.id, "to_user_id": t.rep2.id, "reason": "Bye"}],
        ),
    ),
    handover_attack(
        "rep_rewrites_the_handover_he_received",
        lambda t: ("spm.handover.log", "write", [t.handover_log.ids, {"reason": "Never"}]),
    ),
    handover_attack(
        "manager_rewrites_a_handover_log",
        lambda t: ("spm.handover.log", "write", [t.handover_log.ids, {"reason": "Never"}]),
        login="admin",
        refusal=AUDIT,
    ),
    handover_attack(
        "manager_changes_a_record_moved",
        lambda t: (
            "spm.handover.log.line",
            "write",
            [t.handover_log.line_ids[:1].ids, {"new_value": "Nobody"}],
        ),
        login="admin",
        refusal=AUDIT,
    ),
    handover_attack(
        "manager_deletes_a_handover_log",
        lambda t: ("spm.handover.log", "unlink", [t.handover_log.ids]),
        login="admin",
        refusal=r"not allowed to delete",
    ),
    handover_attack(
        "manager_forges_a_handover_log",
        lambda t: (
            "spm.handover.log",
            "create",
            [{"from_user_id": t.rep2.id, "user_id": t.rep.id, "reason": "x", "company_id": 1}],
        ),
        login="admin",
    ),
    handover_attack(
        "manager_archives_a_rep_with_open_work",
        lambda t: ("res.users", "action_archive", [t.rep.ids]),
        login="admin",
        refusal=r"still owns open work",
    ),
    handover_attack(
        "manager_archives_a_rep_with_a_context_key",
        lambda t: ("res.users", "write", [t.rep.ids, {"active": False}]),
        login="admin",
        refusal=r"still owns open work",
        context={"spm_protected_write": True, "spm_handover_done": True},
    ),
]


class TestHostileRpc(HttpEndToEndCase):
    test_class = "TestHostileRpc"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        users = cls.env["res.users"].with_context(active_test=False)
        cls.rep = users.search([("login", "=", "rep")])
        cls.held = ref("sales_process_mgmt.spm_partner_huatong_demo")
        cls.customer = ref("sales_process_mgmt.spm_partner_nanjinglu_demo")
        cls.other = ref("sales_process_mgmt.spm_partner_hengda_demo")
        cls.phone = ref("sales_process_mgmt.spm_product_phone_s1_demo")
        cls.policy = ref("sales_process_mgmt.spm_discount_policy_demo")
        cls.confirmed = ref("sales_process_mgmt.spm_sale_order_nanjinglu_demo")
        cls.confirmed_line = ref("sales_process_mgmt.spm_sale_order_line_nanjinglu_phone_demo")
        cls.confirmed_qty = cls.confirmed_line.product_uom_qty
        cls.region = ref("sales_process_mgmt.spm_region_jiangsu_demo")
        cls.rep_target = ref("sales_process_mgmt.spm_rep_target_rep_last_month_demo")
        cls.rep2 = ref("sales_process_mgmt.spm_user_rep2_demo")
        cls.handover_log = cls.env["spm.handover.log"].search(
            [("from_user_id", "=", cls.rep2.id), ("to_user_id", "=", cls.rep.id)], limit=1
        )
        cls.visit2 = ref("sales_process_mgmt.spm_visit_wang_huatong_2_demo")
        cls.task = cls.env["spm.collection.task"].search(
            [
                ("partner_id", "=", ref("sales_process_mgmt.spm_partner_jincheng_demo").id),
                ("user_id", "=", cls.rep.id),
                ("state", "=", "open"),
            ],
            limit=1,
        )
        cls.in_a_week = fields.Date.context_today(cls.rep) + timedelta(days=7)
        Request = cls.env["spm.service.request"]
        cls.request = Request.with_user(cls.rep).create(
            {"subject": "Screen flickers", "partner_id": cls.customer.id, "priority": "2"}
        )
        cls.colleague_request = Request.create(
            {
                "subject": "Charger missing",
                "partner_id": cls.customer.id,
                "user_id": ref("sales_process_mgmt.spm_user_rep2_demo").id,
            }
        )
        cls.sla = cls.env["spm.service.sla"].search(
            [("company_id", "=", cls.rep.company_id.id), ("priority", "=", "2")], limit=1
        )
        SaleOrder = cls.env["sale.order"].with_user(cls.rep)
        # no line: a flagged line is all it would have
        cls.quotation = SaleOrder.create({"partner_id": cls.customer.id})
        # a line at the floor's limit: a quotation the rep may confirm himself
        cls.floor_quotation = SaleOrder.create(
            {
                "partner_id": cls.customer.id,
                "order_line": [(0, 0, {"product_id": cls.phone.id, "product_uom_qty": 1})],
            }
        )
        cls.visit = (
            cls.env["spm.visit"]
            .with_user(cls.rep)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "purpose": "routine",
                    "planned_start": fields.Datetime.now(),
                }
            )
        )

    def test_demo_data_assumptions(self):
        self.assertTrue(self.rep, "demo user rep is missing")
        self.assertTrue(self.task, "the rep has no open collection task at 锦程")
        self.assertEqual(self.confirmed.state, "sale")
        self.assertEqual(self.confirmed.user_id, self.rep)
        self.assertEqual(self.confirmed_line.order_id, self.confirmed)
        self.assertEqual(self.policy.max_discount, 15)
        self.assertEqual(self.visit2.state, "planned")
        self.assertEqual(self.visit2.user_id, self.rep)
        in_progress = [("user_id", "=", self.rep.id), ("state", "=", "in_progress")]
        self.assertFalse(self.env["spm.visit"].search(in_progress))
        held_quotation = self.env.ref("sales_process_mgmt.spm_sale_order_huatong_held_demo")
        with self.assertRaisesRegex(UserError, CREDIT_HOLD), self.env.cr.savepoint():
            held_quotation.with_user(self.rep).action_confirm()
        self.assertEqual(self.floor_quotation.state, "draft")
        self.assertTrue(self.sla, "no service level of high priority")
        self.assertEqual(self.request.user_id, self.rep)
        self.assertTrue(self.colleague_request.with_user(self.rep).has_access("read"))
        self.assertTrue(self.handover_log.line_ids, "the demo handover logged no line")

    def _replay(self, entry):
        if entry.prepare:
            entry.prepare(self)
        logins = {"rep": ("rep", "rep"), "admin": ("admin", "admin")}
        self.rpc_login(*logins[entry.login])
        steps = entry.steps(self)
        before = entry.watch(self)
        refusal = None
        for step in steps:
            answer = self.call_kw(step.model, step.method, step.args, step.kwargs)
            if "error" in answer:
                refusal = (step, answer["error"])
                break
        self.assertEqual(entry.watch(self), before, "the refused calls changed the database")
        if refusal:
            step, error = refusal
            self._assert_readable(step, error)
        elif entry.must_refuse:
            self.fail(f"accepted: {[(s.model, s.method, s.args) for s in steps]}")
        if entry.then:
            entry.then(self)

    def _assert_readable(self, step, error):
        data = error.get("data") or {}
        message = data.get("message") or ""
        where = f"{step.model}.{step.method}: {message[:300]!r} ({data.get('name')})"
        self.assertTrue(
            (data.get("name") or "").startswith("odoo.exceptions."),
            f"not an Odoo user error: {where}",
        )
        for word in NOT_FOR_USERS:
            self.assertNotIn(word, message, f"not a readable message: {where}")
        self.assertRegex(message, r"\w+\W+\w+\W+\w+", f"not a sentence: {where}")
        if step.refusal:
            self.assertRegex(message, step.refusal, f"refused for another reason: {where}")


def _test_for(entry):
    def test(self):
        self._replay(entry)

    test.__name__ = f"test_{entry.name}"
    test.__doc__ = entry.name.replace("_", " ")
    return test


for _entry in HOSTILE + TARGET_ATTACKS + HANDOVER_ATTACKS:
    setattr(TestHostileRpc, f"test_{_entry.name}", _test_for(_entry))
