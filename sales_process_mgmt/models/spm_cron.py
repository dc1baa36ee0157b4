"""One shape for the scheduled actions.

Every job (``_cron_<job>(batch_size=...)``, run by the ``ir_cron_spm_<job>`` record)
reads at most one batch, processes it and reports it with
``ir.cron._notify_progress(done=, remaining=)``. The scheduler calls the job again, in a
new transaction, while something remains (up to ten times in a run, then at its next
free moment). A job is idempotent: what one batch did takes it out of the next batch's
search, so a job stopped halfway, or run by two workers at once, leaves nothing half
done. ``remaining`` is counted at most ten batches ahead: a full count in every call
would make a run quadratic in the size of the job.

Called directly (a test, a shell, a migration), a job runs batch after batch in the
caller's transaction until nothing remains.
"""

# How far ahead ``remaining`` is counted, in batches.
REMAINING_BATCHES = 10


def in_scheduler(env):
    """Whether the scheduler runs this call (and calls again while work remains)."""
    return bool(env.context.get("ir_cron_progress_id"))


def run_batches(env, run_batch):
    """Run ``run_batch()`` (it processes one batch and returns ``(done, remaining)``)
    once under the scheduler, else until nothing remains or a batch did nothing; every
    batch that did something is reported to the scheduler. Returns the total done."""
    total = 0
    while True:
        done, remaining = run_batch()
        total += done
        if done:
            env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if in_scheduler(env) or not (done and remaining):
            return total
