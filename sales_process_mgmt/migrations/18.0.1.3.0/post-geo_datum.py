"""Customer coordinates recorded before datums existed keep their meaning: they were
measured against the phone's WGS-84 position as they are, so they are WGS-84."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE res_partner
           SET spm_geo_datum = 'wgs84'
         WHERE spm_geo_datum IS NULL
           AND (COALESCE(partner_latitude, 0) != 0 OR COALESCE(partner_longitude, 0) != 0)
        """,
    )
