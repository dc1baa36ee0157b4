"""Order holds became switches of the collection rule, off on a new install.

A database upgraded from an earlier version keeps the holds its companies relied on: the
earlier code held orders of customers overdue beyond ``block_orders_after_days`` (when
above 0), of customers with deferrals used up and of customers above their credit limit,
also when no rule matched the customer (deferrals and credit limit). A deferral is now a
promise dated after the invoice's due date: existing promises and tasks are recounted.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE spm_collection_rule
           SET hold_overdue = COALESCE(block_orders_after_days, 0) > 0,
               hold_deferrals = TRUE,
               hold_credit_limit = TRUE
        """,
    )
    # Customers no rule matched were held for deferrals and the credit limit: a rule for
    # everyone keeps that (its other figures are the defaults that applied to them).
    Rule = env["spm.collection.rule"].with_context(active_test=False)
    Rule.invalidate_model()
    covered = Rule.search([("active", "=", True)]).filtered(
        lambda rule: rule.scope_level == "global"
    )
    companies = env["res.company"].search([("id", "not in", covered.company_id.ids)])
    Rule.create(
        [
            {
                "name": env._("Default collection rule"),
                "sequence": 100,
                "company_id": company.id,
                "block_orders_after_days": 0,
                "hold_overdue": False,
                "hold_deferrals": True,
                "hold_credit_limit": True,
            }
            for company in companies
        ]
    )
    # Deferrals counted by the new definition.
    Promise = env["spm.payment.promise"]
    promises = Promise.search([])
    env.add_to_compute(Promise._fields["is_deferral"], promises)
    promises.flush_recordset(["is_deferral"])
    Task = env["spm.collection.task"]
    tasks = Task.search([])
    env.add_to_compute(Task._fields["deferral_count"], tasks)
    tasks.flush_recordset(["deferral_count"])
