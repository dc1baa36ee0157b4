"""Photo evidence of a visit (水印照片).

A photo added to a visit records what the rep cannot choose: the server's time, the
position of the visit's last check-in or check-out and that position's distance to the
customer, and who added it. A stamped copy (customer, local time, position, rep) is kept
beside the original; both are attachments of the photo record, which reps read with the
visit and never change or delete (a sales manager may delete a photo; the visit's chatter
says so). Photos are taken on a visit checked in (in progress or done).

A photo taken without network is kept on the phone and sent later by the replay of
actions kept on the phone (``spm_visit_offline``): it is recorded as one added at once,
when the server receives it, and keeps the phone's time beside the server's
(``device_time``, on its stamp too).
"""

import base64
import binascii
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from .spm_photo_stamp import MAX_PHOTO_BYTES, MIN_PHOTO_SIDE, PhotoError, read_image, stamp
from .spm_protected_mixin import NOBODY
from .spm_time import spm_now
from .spm_visit import LOCATION_STATUSES

_logger = logging.getLogger(__name__)

POSITION_SOURCES = [
    ("check_in", "Check-in"),
    ("check_out", "Check-out"),
    ("none", "No Position"),
]
# Written by the app when a photo is added, never by a client.
PHOTO_PROOF_FIELDS = (
    "attachment_id",
    "stamped_attachment_id",
    "taken_on",
    "device_time",
    "user_id",
    "position_source",
    "latitude",
    "longitude",
    "distance_m",
    "location_status",
)
PHOTO_VISIT_STATES = ("in_progress", "done")
# A photo kept on the phone without network is reduced there to 1600 px on its longer
# side (about 1 MB at most); one larger than this was not reduced by the app.
MAX_KEPT_PHOTO_BYTES = 3 * 1024 * 1024


class SpmVisitPhoto(models.Model):
    _name = "spm.visit.photo"
    _description = "Visit Photo"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "taken_on desc, id desc"
    _check_company_auto = True

    visit_id = fields.Many2one("spm.visit", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", string="Customer", store=True)
    name = fields.Char(string="Description", help="What the photo shows, e.g. the shelf.")
    image = fields.Binary(
        string="Photo",
        compute="_compute_image",
        inverse="_inverse_image",
        help="The photo as taken, without the stamp.",
    )
    stamped_image = fields.Binary(string="Stamped Photo", compute="_compute_image")
    attachment_id = fields.Many2one("ir.attachment", string="Original", readonly=True)
    stamped_attachment_id = fields.Many2one("ir.attachment", string="Stamped Copy", readonly=True)
    taken_on = fields.Datetime(readonly=True, help="The server's time.")
    device_time = fields.Datetime(
        string="Taken Offline At",
        readonly=True,
        help="The phone's clock: the photo was taken without network and sent later.",
    )
    user_id = fields.Many2one("res.users", string="Taken By", readonly=True)
    position_source = fields.Selection(
        POSITION_SOURCES,
        string="Position Of",
        readonly=True,
        help="The visit's last check-in or check-out when the photo was added.",
    )
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    distance_m = fields.Float(string="Distance (m)", digits=(16, 0), readonly=True)
    location_status = fields.Selection(LOCATION_STATUSES, readonly=True)

    @api.depends("attachment_id", "stamped_attachment_id")
    def _compute_image(self):
        for photo in self:
            photo.image = photo.sudo().attachment_id.datas
            photo.stamped_image = photo.sudo().stamped_attachment_id.datas

    @api.depends("visit_id", "taken_on", "name")
    def _compute_display_name(self):
        for photo in self:
            taken = fields.Datetime.to_string(photo.taken_on) if photo.taken_on else ""
            photo.display_name = " · ".join(
                part for part in (photo.visit_id.name, photo.name, taken) if part
            ) or self.env._("New Photo")

    def _inverse_image(self):
        """The photo is read at creation (see ``create``) and never replaced."""

    def _spm_protected_fields(self):
        protected = dict.fromkeys(PHOTO_PROOF_FIELDS, NOBODY)
        if self:
            # a photo stays with the visit it proves
            protected["visit_id"] = NOBODY
        return protected

    def _spm_protected_hint(self):
        return self.env._(
            "Add a photo with Add Photo on the visit: the app records its time, position "
            "and stamp. A photo is never changed; a sales manager may delete one."
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self._spm_is_protected_write():
            # the app's own records (see _spm_adopt): their proof is in vals_list
            return super().create(vals_list)
        if not all(vals.get("visit_id") for vals in vals_list):
            raise UserError(self.env._("A photo is added to a visit: open the visit first."))
        images = [self._spm_photo_data(vals.pop("image", None)) for vals in vals_list]
        self._spm_check_visits(
            self.env["spm.visit"].browse(
                vals["visit_id"] for vals in vals_list if vals.get("visit_id")
            )
        )
        photos = super().create(vals_list)
        for photo, (data, image_format) in zip(photos, images, strict=True):
            photo._spm_record(data, image_format)
        return photos

    def write(self, vals):
        self.check_access("write")
        if "image" in vals and self.filtered("attachment_id"):
            raise UserError(
                self.env._("A photo of a visit is never replaced: add another one with Add Photo.")
            )
        vals.pop("image", None)
        return super().write(vals)

    # The attachments of the photo go with it (as every record's do).
    @api.ondelete(at_uninstall=False)
    def _unlink_log_on_visit(self):
        for photo in self:
            photo.visit_id.message_post(
                body=self.env._(
                    "Photo of %(time)s deleted by %(user)s.",
                    time=fields.Datetime.to_string(photo.taken_on),
                    user=self.env.user.name,
                )
            )

    # ------------------------------------------------------------------
    # Recording and stamping
    # ------------------------------------------------------------------

    @api.model
    def _spm_check_visits(self, visits):
        """Photos are added by whoever may change the visit, once it is checked in."""
        visits.check_access("write")
        for visit in visits:
            if visit.state not in PHOTO_VISIT_STATES:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: photos are taken on a visit checked "
                        "in. Check in at the customer first.",
                        visit=visit.display_name,
                        state=visit._spm_state_label(),
                    )
                )

    def _spm_photo_data(self, value):
        """The bytes of an uploaded photo (base64, as clients send it), checked, and its
        format."""
        if not value:
            raise UserError(self.env._("Take or choose a photo to add to the visit."))
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if not isinstance(value, str):
            raise UserError(self.env._("The photo must be sent as a base64 text."))
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The photo is not valid base64 data.")) from error
        try:
            __, image_format = read_image(data)
        except PhotoError as error:
            raise UserError(self._spm_photo_error_message(error.args[0])) from error
        return data, image_format

    def _spm_photo_error_message(self, reason, name=None):
        messages = {
            "not_image": self.env._(
                "%(name)s is not an image: only photos (JPEG, PNG, WebP, ...) can be "
                "stamped and kept as visit photos.",
                name=name or self.env._("This file"),
            ),
            "too_large": self.env._(
                "The photo is larger than %(size)s MB: take it again at a lower resolution.",
                size=MAX_PHOTO_BYTES // (1024 * 1024),
            ),
            "too_many_pixels": self.env._(
                "The photo has more than 50 million pixels: take it again at a lower resolution."
            ),
            "too_small": self.env._(
                "The photo is smaller than %(side)s by %(side)s pixels: its stamp would not "
                "be readable.",
                side=MIN_PHOTO_SIDE,
            ),
        }
        return messages[reason]

    @api.model
    def _spm_add_kept_on_phone(self, visit, image, name, device_time):
        """The photo of ``visit`` the phone kept without network (``image`` in base64,
        ``name`` its description), sent by the replay after the check-in it follows:
        checked and recorded as one added now, with the phone's ``device_time``.
        Returns the photo."""
        if isinstance(image, str) and len(image) > (MAX_KEPT_PHOTO_BYTES + 2) // 3 * 4:
            raise UserError(
                self.env._(
                    "The photo of visit %(visit)s kept on the phone is larger than %(size)s "
                    "MB: the app reduces the photos it keeps without network, this one was "
                    "not. Add the photo again with Take Photo on the visit.",
                    visit=visit.display_name,
                    size=MAX_KEPT_PHOTO_BYTES // (1024 * 1024),
                )
            )
        data, image_format = self._spm_photo_data(image)
        self._spm_check_visits(visit)
        photo = self.browse(self._spm_protected().create({"visit_id": visit.id, "name": name}).id)
        photo._spm_record(data, image_format, device_time=device_time)
        return photo

    def _spm_record(self, data, image_format, device_time=None):
        """Record the proof of a new photo and keep it and its stamped copy;
        ``device_time`` is the phone's time of a photo kept on it without network."""
        self.ensure_one()
        visit = self.visit_id
        if visit.state == "done" and visit.check_out_time:
            source = "check_out"
            position = (visit.check_out_latitude, visit.check_out_longitude)
        else:
            source = "check_in"
            position = (visit.check_in_latitude, visit.check_in_longitude)
        if not any(position):
            source, position = "none", None
        distance, status = visit._spm_locate(position)
        self._spm_protected().sudo().write(
            {
                "taken_on": fields.Datetime.now(),
                "device_time": device_time,
                # the rep's photo when the system adds it (demo data, an import)
                "user_id": visit.user_id.id if self.env.uid == SUPERUSER_ID else self.env.uid,
                "position_source": source,
                "latitude": position[0] if position else 0.0,
                "longitude": position[1] if position else 0.0,
                "distance_m": distance,
                "location_status": status,
            }
        )
        original = self._spm_attach(data, self._spm_file_name(f".{image_format.lower()}"))
        self._spm_protected().sudo().write({"attachment_id": original.id})
        self._spm_stamp()

    def _spm_file_name(self, suffix=""):
        local = spm_now(self.user_id, self.company_id, now=self.taken_on)
        return f"{self.visit_id.name}-{local:%Y%m%d-%H%M%S}-{self.id}{suffix}"

    def _spm_attach(self, data, name, mimetype=None):
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _spm_caption(self):
        """The lines stamped on the photo: customer, local time, position, rep."""
        self.ensure_one()
        local = spm_now(self.user_id, self.company_id, now=self.taken_on)
        if self.position_source == "none":
            position = self.env._("No position")
        else:
            position = f"{self.latitude:.6f}, {self.longitude:.6f}"
            if self.location_status in ("verified", "too_far", "location_unconfirmed"):
                position = self.env._(
                    "%(position)s · %(distance)s m from the customer",
                    position=position,
                    distance=round(self.distance_m),
                )
        moment = f"{local:%Y-%m-%d %H:%M} ({local.tzname()})"
        if self.device_time:
            on_phone = spm_now(self.user_id, self.company_id, now=self.device_time)
            moment = self.env._(
                "%(time)s · taken offline %(device)s",
                time=moment,
                device=f"{on_phone:%Y-%m-%d %H:%M}",
            )
        return [
            self.visit_id.partner_id.display_name,
            moment,
            position,
            self.env._("%(rep)s · %(visit)s", rep=self.user_id.name, visit=self.visit_id.name),
        ]

    def _spm_caption_lang(self):
        """The caption speaks the language of the rep who took the photo, else the
        company's (its partner's), else the current user's."""
        self.ensure_one()
        return self.user_id.lang or self.company_id.partner_id.lang or self.env.lang

    def _spm_stamp(self):
        """Keep a stamped copy of the original beside it (replacing an older copy)."""
        for photo in self:
            original = photo.sudo().attachment_id
            try:
                caption = photo.with_context(lang=photo._spm_caption_lang())._spm_caption()
                data, mimetype = stamp(original.raw, caption)
            except PhotoError as error:
                raise UserError(
                    photo._spm_photo_error_message(error.args[0], name=original.name)
                ) from error
            extension = mimetype.split("/")[1].replace("jpeg", "jpg")
            copy = photo._spm_attach(data, photo._spm_file_name(f"-stamped.{extension}"), mimetype)
            old = photo.sudo().stamped_attachment_id
            photo._spm_protected().sudo().write({"stamped_attachment_id": copy.id})
            old.unlink()

    @api.model
    def _spm_adopt(self, pairs):
        """Photo records for attachments linked to visits before photos were records
        (``pairs`` of visit and attachment ids): taken when the file was uploaded, by
        whoever uploaded it, without a position; each file moves to its photo record and
        an image gets its stamped copy. Returns the photos."""
        Attachment = self.env["ir.attachment"].sudo()
        photos = self.browse()
        existing = Attachment.browse([attachment_id for __, attachment_id in pairs]).exists()
        for visit_id, attachment_id in pairs:
            attachment = Attachment.browse(attachment_id)
            if attachment not in existing:
                continue
            photo = (
                self.sudo()
                ._spm_protected()
                .create(
                    {
                        "visit_id": visit_id,
                        "name": attachment.name,
                        "attachment_id": attachment.id,
                        "taken_on": attachment.create_date,
                        "user_id": attachment.create_uid.id,
                        "position_source": "none",
                        "location_status": "no_position",
                    }
                )
            )
            attachment.write({"res_model": self._name, "res_id": photo.id})
            try:
                with self.env.cr.savepoint():
                    photo._spm_stamp()
            except UserError as error:
                _logger.warning("Visit photo %s kept without a stamp: %s", photo.id, error)
            photos |= photo
        return photos
