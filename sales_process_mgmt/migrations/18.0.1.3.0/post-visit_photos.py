"""Photos attached to visits before photos were records (the visit's ``photo_ids``,
stored in ``spm_visit_photo_rel``) become visit photos: taken when they were uploaded, by
whoever uploaded them, without a position (none was recorded); each image gets its
stamped copy. The old link table is left in place, unused."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    if not openupgrade.table_exists(env.cr, "spm_visit_photo_rel"):
        return
    env.cr.execute(
        """
        SELECT rel.visit_id, rel.attachment_id
          FROM spm_visit_photo_rel rel
          JOIN spm_visit visit ON visit.id = rel.visit_id
          JOIN ir_attachment attachment ON attachment.id = rel.attachment_id
         WHERE NOT EXISTS (
               SELECT 1 FROM spm_visit_photo photo
                WHERE photo.attachment_id = rel.attachment_id
         )
         ORDER BY rel.visit_id, rel.attachment_id
        """
    )
    pairs = env.cr.fetchall()
    photos = env["spm.visit.photo"]._spm_adopt(pairs)
    openupgrade.logger.info("%s visit photos recorded from the visits' attachments", len(photos))
