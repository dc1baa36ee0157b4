"""Sales managers: who acts as one, and the manager to notify.

Escalations and approvals go to one person: the first of the given team leaders, else
the first internal user (by id) of the given group in the company; never the superuser
and never one of the users who may not act on it (the order's own rep, the requester).
"""


def manager_to_notify(env, company, group_xmlid, leaders=(), excluded=None):
    """A ``res.users`` record (empty when nobody qualifies), searched with ``env``'s
    rights."""
    Users = env["res.users"]
    excluded = excluded or Users
    for leader in leaders:
        if leader and leader not in excluded:
            return leader
    return Users.search(
        [
            ("groups_id", "in", env.ref(group_xmlid).id),
            ("share", "=", False),
            ("company_ids", "in", company.id),
            ("id", "not in", (excluded | env.ref("base.user_root")).ids),
        ],
        order="id",
        limit=1,
    )


def is_sales_manager(env):
    """Whether ``env``'s user acts as a sales manager: a member of the group, or the
    superuser (as the scheduled actions run)."""
    return env.su or env.user.has_group("sales_team.group_sale_manager")
