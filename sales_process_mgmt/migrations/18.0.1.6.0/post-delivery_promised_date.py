"""The outgoing pickings of an upgraded database (where sale_stock was installed before)
get their promised date: the order's commitment date, else their scheduled date (the
best record left of the first plan), then whether they were delivered on time."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    env.cr.execute(
        SQL(
            """
            UPDATE stock_picking picking
               SET spm_promised_date = COALESCE(sale.commitment_date, picking.scheduled_date)
              FROM stock_picking_type picking_type, stock_picking fill
              LEFT JOIN sale_order sale ON sale.id = fill.sale_id
             WHERE fill.id = picking.id
               AND picking_type.id = picking.picking_type_id
               AND picking_type.code = 'outgoing'
               AND picking.spm_promised_date IS NULL
            RETURNING picking.id
            """
        )
    )
    Picking = env["stock.picking"]
    pickings = Picking.browse([row[0] for row in env.cr.fetchall()])
    pickings.invalidate_recordset(["spm_promised_date"])
    env.add_to_compute(
        Picking._fields["spm_on_time"], pickings.filtered_domain([("state", "=", "done")])
    )
    Picking.flush_model(["spm_on_time"])
