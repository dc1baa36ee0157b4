"""Create in bulk, else row by row and log the rest.

Scheduled actions create many records at once (revisits, collection tasks). Another
worker may create some of them at the same time (a unique index refuses the duplicate),
or one row may be invalid: the others must still be created. One insert for the whole
batch; when it fails, one insert per row in its own savepoint, and the rows refused are
logged and skipped.
"""

from psycopg2.errors import UniqueViolation

from odoo.tools import mute_logger


def create_in_bulk(model, vals_list, logger, describe, skip_invalid=True):
    """Records of ``model`` created from ``vals_list``.

    A row refused by a unique index (created meanwhile by another worker) is skipped
    and logged at info level; any other refused row is skipped and logged as a warning,
    or, when ``skip_invalid`` is false, its error is raised. ``describe(vals)`` names
    the row in the log."""
    cr = model.env.cr
    try:
        with mute_logger("odoo.sql_db"), cr.savepoint():
            return model.create(vals_list)
    except Exception:
        logger.info("Bulk creation of %s failed; creating row by row", model._name)
    records = model.browse()
    for vals in vals_list:
        try:
            with mute_logger("odoo.sql_db"), cr.savepoint():
                records |= model.create([vals])
        except UniqueViolation:
            logger.info("%s already exists; skipped", describe(vals))
        except Exception:
            if not skip_invalid:
                raise
            logger.warning("%s could not be created; skipped", describe(vals), exc_info=True)
    return records
