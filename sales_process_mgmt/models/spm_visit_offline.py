"""Check-in without network: actions kept on the phone and replayed when it is online.

In shops, basements and the countryside the phone often has no network when the rep
taps Check In or Check Out. The button then keeps the action on the device (visit,
position, device time, a key of its own) and sends it later through
``spm.visit.spm_replay_action``, oldest first. The server:

- applies each key once: a key it has received returns the earlier result, never a
  second check-in (``spm.visit.action`` is the log of what was received, one row per
  rep and key);
- refuses an action dated in the future (beyond ``CLOCK_SKEW``, the difference
  tolerated between the phone's clock and the server's) or older than the company's
  ``spm_offline_max_age_hours`` (default 24), with a message shown on the phone;
- takes the device time only within what it knows: not before the visit was planned
  (its creation), nor before the rep's previous check-in or check-out (the time the
  server recorded for it: for an action sent online, when it was received), and not
  after the receipt of this one. A replayed action counts by its recorded time, not by
  its receipt: otherwise a morning without network would collapse to the moment the
  network came back;
- checks in and out through the same code as the buttons, at that time, and marks the
  visit *recorded offline*;
- revives a visit the missed-visit cron marked missed when the device time of the
  check-in falls within the visit's day (in the rep's timezone);
- adds a photo taken in the visit's Photos without network (kind ``photo``; the image
  reduced by the phone, at most ``MAX_KEPT_PHOTO_BYTES`` of ``spm_visit_photo``) as one
  added at once: the server's time, the position of the visit's last check-in or
  check-out, the distance and the stamped copy (``spm.visit.photo``), with the device
  time kept beside them. It is sent after the check-in it follows: a photo of a visit
  not checked in is refused like one added online.
"""

import re
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import DEFAULT_SERVER_DATETIME_FORMAT, SQL, format_datetime

from .spm_protected_mixin import NOBODY
from .spm_time import spm_rep_today, spm_rep_tz

ACTION_KINDS = [("check_in", "Check In"), ("check_out", "Check Out"), ("photo", "Photo")]
ACTION_RESULTS = [
    ("applied", "Applied at Device Time"),
    ("clamped", "Time Moved into Bounds"),
]
# A phone's clock may run this much ahead of the server's: within it, an action dated
# "in the future" is taken as received now.
CLOCK_SKEW = timedelta(minutes=5)
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class SpmVisitAction(models.Model):
    _name = "spm.visit.action"
    _description = "Visit Action Recorded Offline"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "received_time desc, id desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True, size=64, help="Given by the phone.")
    visit_id = fields.Many2one(
        "spm.visit", required=True, readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Sent By", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    kind = fields.Selection(ACTION_KINDS, required=True, readonly=True)
    device_time = fields.Datetime(required=True, readonly=True, help="The phone's clock.")
    received_time = fields.Datetime(required=True, readonly=True, help="The server's clock.")
    recorded_time = fields.Datetime(
        required=True,
        readonly=True,
        help="The time the visit keeps: the device time within bounds.",
    )
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    result = fields.Selection(ACTION_RESULTS, required=True, readonly=True)
    revived = fields.Boolean(
        string="Missed Visit Revived", readonly=True, help="The visit had been marked missed."
    )
    photo_id = fields.Many2one(
        "spm.visit.photo",
        readonly=True,
        ondelete="set null",
        help="The photo this action added to the visit.",
    )

    _sql_constraints = [
        (
            "key_user_uniq",
            "unique(user_id, key)",
            "An action kept on the phone is received once: its key is already known.",
        )
    ]

    def _spm_protected_fields(self):
        """The log is the server's: written by the replay only, never corrected."""
        return dict.fromkeys(
            (fname for fname, field in self._fields.items() if field.store and not field.automatic),
            NOBODY,
        )

    def _spm_protected_hint(self):
        return self.env._("Actions kept on the phone are recorded when the phone sends them.")

    @api.model
    def _spm_record(self, vals_list):
        """Record received actions: the replay's, and those of the demo data."""
        return self.sudo()._spm_protected().create(vals_list)

    def _spm_replay_result(self, duplicate=False):
        """What the phone is told about this action."""
        self.ensure_one()
        result = {
            "key": self.key,
            "visit_id": self.visit_id.id,
            "visit": self.visit_id.display_name,
            "kind": self.kind,
            "device_time": fields.Datetime.to_string(self.device_time),
            "received_time": fields.Datetime.to_string(self.received_time),
            "recorded_time": fields.Datetime.to_string(self.recorded_time),
            "clamped": self.result == "clamped",
            "revived": self.revived,
            "duplicate": duplicate,
        }
        if self.kind == "photo":
            result["photo_id"] = self.photo_id.id
        return result


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    recorded_offline = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Checked in or out on a phone without network: the action was sent later.",
    )
    spm_offline_action_ids = fields.One2many(
        "spm.visit.action", "visit_id", string="Actions Recorded Offline", readonly=True
    )

    def _spm_protected_fields(self):
        return {**super()._spm_protected_fields(), "recorded_offline": NOBODY}

    # ------------------------------------------------------------------
    # The replay
    # ------------------------------------------------------------------

    @api.model
    def spm_replay_action(
        self,
        key,
        kind,
        visit_id,
        device_time,
        *,
        latitude=None,
        longitude=None,
        outcome=None,
        image=None,
        name=None,
    ):
        """Apply an action kept on the phone, once per ``key`` (see the module
        docstring): a check-in, a check-out (with the ``outcome`` typed offline) or a
        photo (``image`` in base64, its description ``name``). Returns what was
        recorded; an action already received returns its earlier result with
        ``duplicate`` set."""
        key, kind, device_time = self._spm_replay_check_input(key, kind, device_time)
        position = self._spm_check_position(latitude, longitude)
        visit = self._spm_replay_visit(visit_id)
        visit._spm_replay_lock()
        Action = self.env["spm.visit.action"].sudo()
        earlier = Action.search([("user_id", "=", self.env.uid), ("key", "=", key)], limit=1)
        if earlier:
            if earlier.visit_id != visit or earlier.kind != kind:
                raise UserError(
                    self.env._(
                        "The key %(key)s was already used for another action (%(visit)s): "
                        "an action kept on the phone needs a key of its own.",
                        key=key,
                        visit=earlier.visit_id.display_name,
                    )
                )
            return earlier._spm_replay_result(duplicate=True)
        now = fields.Datetime.now()
        visit._spm_replay_check_age(kind, device_time, now)
        recorded = min(max(device_time, visit._spm_replay_lower_bound()), now)
        revived = visit._spm_replay_revive(kind, device_time)
        note = visit._spm_replay_note(device_time, now, recorded)
        proof = {"recorded_offline": True}
        photo = self.env["spm.visit.photo"]
        if kind == "photo":
            photo = photo._spm_add_kept_on_phone(visit, image, name, device_time)
            visit.message_post(
                body=self.env._("Photo %(photo)s added.", photo=photo.display_name) + " " + note
            )
        elif kind == "check_in":
            visit._spm_replay_not_done_yet("check_in_time")
            visit._spm_check_in(
                position,
                recorded,
                proof=proof,
                note=note,
                from_states=("planned", "missed") if revived else ("planned",),
            )
        else:
            visit._spm_replay_not_done_yet("check_out_time")
            if outcome is not None and outcome != visit.outcome:
                visit.write({"outcome": outcome})
            visit._spm_check_out(position, recorded, proof=proof, note=note)
        action = Action._spm_record(
            {
                "key": key,
                "visit_id": visit.id,
                "user_id": self.env.uid,
                "kind": kind,
                "device_time": device_time,
                "received_time": now,
                "recorded_time": recorded,
                "latitude": position[0] if position else 0.0,
                "longitude": position[1] if position else 0.0,
                "result": "applied" if recorded == device_time else "clamped",
                "revived": revived,
                "photo_id": photo.id,
            }
        )
        return action._spm_replay_result()

    @api.model
    def _spm_replay_check_input(self, key, kind, device_time):
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise ValidationError(
                self.env._(
                    "The key of an action kept on the phone must be 1 to 64 letters, digits "
                    "or the signs - _ . :, not %(key)r.",
                    key=key if not isinstance(key, str) else key[:70],
                )
            )
        kinds = dict(ACTION_KINDS)
        if not isinstance(kind, str) or kind not in kinds:
            raise ValidationError(
                self.env._(
                    "An action kept on the phone is a check-in or a check-out, or a photo "
                    "of the visit (%(kinds)s), not %(kind)r.",
                    kinds=", ".join(kinds),
                    kind=kind,
                )
            )
        try:
            if not isinstance(device_time, str):
                raise TypeError("not a string")
            parsed = datetime.strptime(device_time, DEFAULT_SERVER_DATETIME_FORMAT)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._(
                    "The device time of an action kept on the phone must be a UTC time "
                    "written YYYY-MM-DD HH:MM:SS, not %(time)r.",
                    time=device_time,
                )
            ) from error
        return key, kind, parsed

    @api.model
    def _spm_replay_visit(self, visit_id):
        if not isinstance(visit_id, int) or isinstance(visit_id, bool) or visit_id <= 0:
            raise ValidationError(
                self.env._(
                    "The visit of an action kept on the phone must be given by its id (a "
                    "whole number), not %(visit)r.",
                    visit=visit_id,
                )
            )
        visit = self.browse(visit_id).exists()
        if not visit:
            raise UserError(
                self.env._(
                    "The visit of this action kept on the phone no longer exists (id "
                    "%(visit)s): it was deleted after the phone recorded the action.",
                    visit=visit_id,
                )
            )
        visit.check_access("write")
        return visit

    def _spm_replay_lock(self):
        """Lock the visit: two sends of the same key (two tabs, a retry after a lost
        answer) are applied one after the other, and the second finds the first. The
        second fails to serialize when the first changed the visit; the RPC layer then
        runs it again, and it finds the key."""
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT id FROM spm_visit WHERE id = %s FOR NO KEY UPDATE", self.id),
            log_exceptions=False,
        )

    def _spm_rep_tz(self):
        """The rep's timezone name, the clock the replay's messages speak in (the one
        that decides the visit's day)."""
        return spm_rep_tz(self.user_id).zone

    def _spm_replay_check_age(self, kind, device_time, now):
        kinds = dict(self.env["spm.visit.action"]._fields["kind"]._description_selection(self.env))
        tz = self._spm_rep_tz()
        if device_time > now + CLOCK_SKEW:
            raise UserError(
                self.env._(
                    "The %(action)s of visit %(visit)s kept on the phone is dated "
                    "%(device)s, after the server's time %(now)s: the phone's clock is "
                    "wrong. Set the phone's date and time to automatic, then check in "
                    "again.",
                    action=kinds[kind],
                    visit=self.display_name,
                    device=format_datetime(self.env, device_time, tz=tz),
                    now=format_datetime(self.env, now, tz=tz),
                )
            )
        max_age = self.company_id.spm_offline_max_age_hours
        if device_time < now - timedelta(hours=max_age):
            raise UserError(
                self.env._(
                    "The %(action)s of visit %(visit)s kept on the phone is dated "
                    "%(device)s, more than %(hours)s hours ago: it is too old to be "
                    "recorded. Tell your sales manager what happened on that visit.",
                    action=kinds[kind],
                    visit=self.display_name,
                    device=format_datetime(self.env, device_time, tz=tz),
                    hours=max_age,
                )
            )

    def _spm_replay_lower_bound(self):
        """The earliest time the server accepts for an action on this visit: its
        planning, and the rep's latest check-in or check-out on any visit."""
        self.ensure_one()
        self.flush_model(["user_id", "check_in_time", "check_out_time"])
        self.env.cr.execute(
            SQL(
                "SELECT max(greatest(check_in_time, check_out_time)) FROM spm_visit "
                "WHERE user_id = %s",
                self.user_id.id,
            )
        )
        [previous] = self.env.cr.fetchone()
        return max(filter(None, (self.create_date, previous)))

    def _spm_replay_revive(self, kind, device_time):
        """A missed visit is checked in when the check-in's device time falls within
        its day; else the check-in is refused. Returns whether it is revived."""
        if self.state != "missed" or kind != "check_in":
            return False
        device_day = spm_rep_today(self.user_id, now=device_time)
        if device_day != self.visit_date:
            raise UserError(
                self.env._(
                    "Visit %(visit)s was marked missed: it was planned for %(day)s and the "
                    "check-in kept on the phone is of %(device_day)s. Plan a new visit for "
                    "the day you were there.",
                    visit=self.display_name,
                    day=self.visit_date,
                    device_day=device_day,
                )
            )
        # checked in from missed: writing "planned" first could meet a revisit the
        # cron has planned since for the customer
        self.message_post(
            body=self.env._(
                "No longer missed: a check-in of its day was recorded on the phone without network."
            )
        )
        return True

    def _spm_replay_not_done_yet(self, fname):
        """A check-in (check-out) the visit already has, e.g. sent online while the
        phone believed it was offline, is not recorded twice."""
        if self[fname]:
            raise UserError(
                self.env._(
                    "Visit %(visit)s already has its %(field)s (%(time)s): the one kept on "
                    "the phone is not recorded again.",
                    visit=self.display_name,
                    field=self._fields[fname]._description_string(self.env),
                    time=format_datetime(self.env, self[fname], tz=self._spm_rep_tz()),
                )
            )

    def _spm_replay_note(self, device_time, received, recorded):
        tz = self._spm_rep_tz()
        note = self.env._(
            "Recorded offline: device time %(device)s, received %(received)s.",
            device=format_datetime(self.env, device_time, tz=tz),
            received=format_datetime(self.env, received, tz=tz),
        )
        if recorded != device_time:
            note += " " + self.env._(
                "The device time is outside what the server knows of this visit and its "
                "rep: the visit keeps %(recorded)s.",
                recorded=format_datetime(self.env, recorded, tz=tz),
            )
        return note
