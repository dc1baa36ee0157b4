"""Customer coordinates recorded before locations were confirmed stay trusted: they
keep verifying check-ins after the upgrade."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE res_partner
           SET spm_location_confirmed = TRUE
         WHERE spm_location_confirmed IS NOT TRUE
           AND (COALESCE(partner_latitude, 0) != 0 OR COALESCE(partner_longitude, 0) != 0)
        """,
    )
