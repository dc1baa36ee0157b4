"""My Day's route (智能排线): today's planned visits of a rep in the order of a short
route from where the rep is, with the straight-line distance of each leg, and the
planned times that follow that order.

- ``action_plan_my_route(latitude, longitude)`` orders the current user's planned visits
  of today (the rep's day, ``spm_time``) from the phone's position, else from the
  customer of the visit in progress, else from the customer of the first planned visit,
  which then stays first. Customers without a location come last, in their planned
  order, without a distance. The order and the legs are written on the visits
  (``route_sequence``, ``route_distance_m``), by the app only (protected fields).
- ``action_apply_route_times()`` gives the visits that are not a fixed appointment new
  planned times in route order, from the first free moment (the day's earliest planned
  start, or now if later), each after the previous one's planned duration plus the
  travel time of the leg at ``TRAVEL_SPEED_KMH``, rounded up to ``TIME_STEP_MINUTES``.
  Fixed appointments keep their time and are obstacles in the day, not steps of the
  order: a visit that would overlap one, or not leave the time to travel to it, moves
  after it (with the travel from it), and the next visits fill the time before it. The
  stops are then numbered in the order of their new times, with the distances of that
  order. A day that does not fit before midnight is refused and nothing changes.

A route belongs to its day: it is cleared from a visit when the visit is closed (done,
cancelled, missed), moved to another day, another customer or another rep, and from the
rep's other open visits when the rep plans again.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .spm_protected_mixin import MANAGER, NOBODY
from .spm_route import order_route, route_legs
from .spm_time import spm_local_to_utc, spm_now, spm_today, spm_tz
from .spm_visit import distance_m

# Straight-line travel speed used to plan times between two customers: 30 km/h as the
# crow flies is about a car's or an e-bike's speed on city roads with their detours,
# traffic lights and parking.
TRAVEL_SPEED_KMH = 30
# Planned times are rounded up to this many minutes.
TIME_STEP_MINUTES = 5
ROUTE_FIELDS = ("route_sequence", "route_distance_m")
NO_ROUTE = {"route_sequence": 0, "route_distance_m": 0.0}
CLOSED_STATES = ("done", "cancelled", "missed")


def _ceil_to_step(moment, minutes=TIME_STEP_MINUTES):
    """``moment`` rounded up to the next whole step of ``minutes``."""
    floor = moment.replace(second=0, microsecond=0)
    floor -= timedelta(minutes=floor.minute % minutes)
    return floor if floor == moment else floor + timedelta(minutes=minutes)


def _travel(distance):
    """Travel time of a straight-line ``distance`` in metres."""
    return timedelta(hours=distance / 1000 / TRAVEL_SPEED_KMH)


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    route_sequence = fields.Integer(
        string="Stop",
        readonly=True,
        copy=False,
        help="Place of the visit on the route of its day planned by My Day (0: none).",
    )
    route_distance_m = fields.Float(
        string="Distance from Previous Stop (m)",
        digits=(16, 0),
        readonly=True,
        copy=False,
        help="Straight-line distance from the previous stop of the route (from the "
        "rep's position for the first one); 0 when the customer is not located.",
    )
    appointment_fixed = fields.Boolean(
        string="Fixed Appointment",
        tracking=True,
        help="The time was agreed with the customer: applying the route to the planned "
        "times keeps it.",
    )
    route_stop_label = fields.Char(string="Route Stop", compute="_compute_route_labels")
    route_distance_label = fields.Char(string="Route Distance", compute="_compute_route_labels")

    @api.depends("route_sequence", "route_distance_m")
    @api.depends_context("lang")
    def _compute_route_labels(self):
        for visit in self:
            if not visit.route_sequence:
                visit.route_stop_label = visit.route_distance_label = False
                continue
            visit.route_stop_label = self.env._("Stop %(number)s", number=visit.route_sequence)
            visit.route_distance_label = (
                visit._spm_distance_text(visit.route_distance_m)
                if visit.route_distance_m
                else False
            )

    def _spm_distance_text(self, distance):
        if distance < 1000:
            return self.env._("%(metres)s m", metres=round(distance))
        return self.env._("%(km)s km", km=f"{distance / 1000:.1f}")

    # ------------------------------------------------------------------
    # Protection and the life of a route
    # ------------------------------------------------------------------

    def _spm_protected_fields(self):
        """The route is written by My Day's actions only; a fixed appointment is the
        rep's to set while the visit is planned."""
        protected = super()._spm_protected_fields()
        protected.update(dict.fromkeys(ROUTE_FIELDS, NOBODY))
        if any(visit.state != "planned" for visit in self):
            protected["appointment_fixed"] = MANAGER
        return protected

    def write(self, vals):
        if self._spm_is_protected_write() and vals.get("state") in CLOSED_STATES:
            # a closed visit leaves the route of its day
            vals = {**NO_ROUTE, **vals}
        moved = {}
        if not self._spm_is_protected_write() and (
            "planned_start" in vals or "partner_id" in vals or "user_id" in vals
        ):
            moved = {visit: visit.visit_date for visit in self if visit.route_sequence}
        res = super().write(vals)
        if moved:
            left = self.browse(
                visit.id
                for visit, day in moved.items()
                if "partner_id" in vals or "user_id" in vals or visit.visit_date != day
            )
            if left:
                left.sudo()._spm_protected().write(NO_ROUTE)
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_plan_my_route(self, latitude=None, longitude=None):
        """Order the current user's planned visits of today as a route from the given
        position (the phone's), else from the first visit's customer. Returns
        ``{"stops", "distance_m", "message"}`` for My Day."""
        position = self._spm_check_position(latitude, longitude)
        return self._spm_plan_route(self.env.user.id, position)

    @api.model
    def action_apply_route_times(self):
        """Give the current user's routed visits of today planned times in route order
        (see the module docstring). Returns ``{"moved", "message"}`` for My Day."""
        user = self.env.user
        visits = self._spm_route_visits(user).filtered("route_sequence")
        if not visits:
            raise UserError(
                self.env._(
                    "%(rep)s has no route planned for today: use Plan My Route first.",
                    rep=user.name,
                )
            )
        visits = visits.sorted(lambda visit: (visit.route_sequence, visit.id))
        starts = self._spm_route_times(user, visits)
        ordered = visits.sorted(lambda visit: (starts[visit], visit.route_sequence, visit.id))
        legs = self._spm_time_order_legs(visits, ordered)
        bodies = {}
        ordered.check_access("write")
        for sequence, visit in enumerate(ordered, start=1):
            vals = {"route_sequence": sequence, "route_distance_m": legs[visit]}
            if starts[visit] != visit.planned_start:
                bodies[visit.id] = self.env._(
                    "Planned time set by My Day's route: %(old)s → %(new)s.",
                    old=spm_now(user, user.company_id, now=visit.planned_start).strftime("%H:%M"),
                    new=spm_now(user, user.company_id, now=starts[visit]).strftime("%H:%M"),
                )
                vals["planned_start"] = starts[visit]
            vals = {fname: value for fname, value in vals.items() if visit[fname] != value}
            if vals:
                visit.sudo()._spm_protected().write(vals)
        moved = len(bodies)
        if bodies:
            self.browse(bodies).sudo()._message_log_batch(bodies=bodies)
        first = spm_now(user, user.company_id, now=min(starts.values()))
        return {
            "moved": moved,
            "message": self.env._(
                "%(count)s planned times changed; the route starts at %(time)s. Fixed "
                "appointments keep their time.",
                count=moved,
                time=first.strftime("%H:%M"),
            ),
        }

    # ------------------------------------------------------------------
    # Route planning
    # ------------------------------------------------------------------

    @api.model
    def _spm_route_visits(self, user):
        """The planned visits of ``user``'s today (in the rep's timezone) that the
        current user may change, in planned order."""
        today = spm_today(user, user.company_id)
        return self.search(
            [("user_id", "=", user.id), ("state", "=", "planned"), ("visit_date", "=", today)],
            order="planned_start, id",
        )

    @api.model
    def _spm_plan_route(self, user_id, position=None):
        """Plan the route of the rep ``user_id``'s day (see the module docstring)."""
        user = self.env["res.users"].browse(user_id)
        visits = self._spm_route_visits(user)
        if not visits:
            raise UserError(
                self.env._(
                    "%(rep)s has no planned visit today: nothing to put in order. Plan "
                    "visits for today, or check the day of the planned ones.",
                    rep=user.name,
                )
            )
        located = visits.filtered(lambda visit: visit.partner_id._spm_wgs84_position())
        unlocated = visits - located
        first = self.browse()
        start = position
        if start is None:
            in_progress = self.search(
                [("user_id", "=", user.id), ("state", "=", "in_progress")], limit=1
            )
            start = in_progress.partner_id._spm_wgs84_position() if in_progress else None
        if start is None and located:
            first, located = located[0], located[1:]
            start = first.partner_id._spm_wgs84_position()
        points = [visit.partner_id._spm_wgs84_position() for visit in located]
        order = order_route(start, points) if located else []
        legs = [0.0] * len(first) + route_legs(start, points, order)
        stops = first + self.browse(located[index].id for index in order) + unlocated
        legs += [0.0] * len(unlocated)
        stops.check_access("write")
        writer = stops.sudo()._spm_protected()
        for sequence, (visit, leg) in enumerate(zip(writer, legs, strict=True), start=1):
            visit.write({"route_sequence": sequence, "route_distance_m": leg})
        stale = self.search(
            [
                ("user_id", "=", user.id),
                ("state", "in", ("planned", "in_progress")),
                ("route_sequence", "!=", 0),
                ("id", "not in", stops.ids),
            ]
        )
        if stale:
            stale._spm_write_proof(NO_ROUTE)
        total = sum(legs)
        if not located and not first:
            message = self.env._(
                "None of today's customers is located: the %(stops)s stops keep their "
                "planned order.",
                stops=len(stops),
            )
        else:
            if position is not None:
                origin = self.env._("from your position")
            elif first:
                origin = self.env._("from %(customer)s", customer=first.partner_id.display_name)
            else:
                origin = self.env._("from the visit in progress")
            message = self.env._(
                "Route planned %(origin)s: %(stops)s stops, %(distance)s in a straight line.",
                origin=origin,
                stops=len(stops),
                distance=self._spm_distance_text(total),
            )
            if unlocated:
                message += " " + self.env._(
                    "%(count)s customers without a location come last.", count=len(unlocated)
                )
        return {"stops": len(stops), "distance_m": total, "message": message}

    # ------------------------------------------------------------------
    # Route times
    # ------------------------------------------------------------------

    @api.model
    def _spm_leg(self, visit_from, visit_to):
        """Straight-line distance between the customers of two visits; 0 when one of
        them is not located."""
        a = visit_from.partner_id._spm_wgs84_position()
        b = visit_to.partner_id._spm_wgs84_position()
        return distance_m(*a, *b) if a and b else 0.0

    @api.model
    def _spm_route_times(self, user, visits):
        """``{visit: planned start}`` for ``visits`` in route order: fixed appointments
        keep theirs, the others flow around them (see the module docstring)."""
        fixed = visits.filtered("appointment_fixed").sorted(lambda v: (v.planned_start, v.id))
        now = _ceil_to_step(fields.Datetime.now())
        cursor = max(min(visits.mapped("planned_start")), now)
        tz = spm_tz(user, user.company_id)
        today = spm_today(user, user.company_id)
        day_end = spm_local_to_utc(tz, today + timedelta(days=1), 0)
        starts = {}
        previous = None
        for visit in visits:
            if visit.appointment_fixed:
                # a fixed point in time, not in the order: the others fill the time
                # around it
                starts[visit] = visit.planned_start
                continue
            travel = _travel(self._spm_leg(previous, visit) if previous else visit.route_distance_m)
            start = _ceil_to_step(cursor + travel)
            duration = timedelta(hours=visit.planned_duration)
            for appointment in fixed:
                appointment_end = appointment.planned_start + timedelta(
                    hours=appointment.planned_duration
                )
                to_it = _travel(self._spm_leg(visit, appointment))
                if start + duration + to_it > appointment.planned_start and (
                    start < appointment_end
                ):
                    start = _ceil_to_step(
                        appointment_end + _travel(self._spm_leg(appointment, visit))
                    )
            if start + duration > day_end:
                raise UserError(
                    self.env._(
                        "The route does not fit in today: %(visit)s at %(customer)s would "
                        "end after midnight. Move some visits to another day, or shorten "
                        "their planned durations, and apply again.",
                        visit=visit.name,
                        customer=visit.partner_id.display_name,
                    )
                )
            starts[visit] = start
            cursor, previous = start + duration, visit
        return starts

    @api.model
    def _spm_time_order_legs(self, route, ordered):
        """The distance of each stop from the one before in the new (time) order; the
        first stop keeps its distance from the route's start if it was first already."""
        legs = {}
        for index, visit in enumerate(ordered):
            if index:
                legs[visit] = self._spm_leg(ordered[index - 1], visit)
            else:
                legs[visit] = visit.route_distance_m if visit == route[0] else 0.0
        return legs
