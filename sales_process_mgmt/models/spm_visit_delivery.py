"""Delivery 送货 at the visit: the outgoing pickings a delivery visit brings to its
customer, the proof of delivery, and the validation of the picking from the visit.

A delivery visit lists outgoing pickings of its own customer (commercial partner) only;
the rule is checked on the visit and on the picking, whatever path links them (form,
RPC ``create`` / ``write`` on either side, a change of the picking's partner).

Proof of delivery: the customer signs on the visit (``delivery_signature``); Send Proof
writes the signature on each picking (its ``signature``, from which Odoo attaches the
signed delivery slip), copies the visit's photos to the picking as attachments and
posts the check-in time, position and distance in its chatter. Only photos not copied
yet are copied: sending the proof twice adds nothing.

Validate Delivery sends the proof and validates the pickings through Odoo's own
``button_validate``: quantities, backorder and other wizards of Odoo work as from the
picking (their action is returned to the phone). It is allowed where the warehouse
delivers in one step (``delivery_steps`` ship only), on a checked-in visit signed by the
customer, by the visit's rep (or a sales manager) who also holds Inventory User rights:
validating moves stock, which Odoo leaves to stock users; a rep without those rights is
refused and asks the warehouse to validate (the proof reaches the picking all the same).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .spm_protected_mixin import MANAGER, NOBODY
from .spm_time import spm_now, spm_rep_tz

CHECKED_IN = ("in_progress", "done")


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    picking_ids = fields.Many2many(
        "stock.picking",
        "spm_visit_stock_picking_rel",
        "visit_id",
        "picking_id",
        string="Deliveries",
        copy=False,
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), "
        "('partner_id', 'child_of', partner_id), ('state', 'not in', ('done', 'cancel'))]",
        help="The customer's outgoing pickings this visit delivers.",
    )
    delivery_signature = fields.Image(
        string="Customer Signature",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        help="The customer signs for the goods received; Send Proof puts the signature on "
        "the deliveries.",
    )
    delivery_signed_by = fields.Char(string="Signed By", copy=False)
    delivery_count = fields.Integer(string="Deliveries Count", compute="_compute_delivery_count")

    @api.depends("picking_ids")
    def _compute_delivery_count(self):
        for visit in self:
            visit.delivery_count = len(visit.picking_ids)

    @api.constrains("picking_ids", "partner_id", "purpose")
    def _check_spm_delivery_pickings_constraint(self):
        self._spm_check_delivery_pickings()

    def _spm_protected_fields(self):
        """The customer signs at the visit, checked in; the deliveries of a visit that
        is over are a manager's to correct."""
        protected = super()._spm_protected_fields()
        if not self or any(visit.state != "in_progress" for visit in self):
            protected.update(delivery_signature=NOBODY, delivery_signed_by=NOBODY)
        if any(visit.state not in ("planned", "in_progress") for visit in self):
            protected["picking_ids"] = MANAGER
        return protected

    def _spm_check_delivery_pickings(self):
        """A visit delivers outgoing pickings of its own customer, as a delivery visit."""
        for visit in self:
            if not visit.picking_ids:
                continue
            if visit.purpose != "delivery":
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s lists deliveries but its purpose is not Delivery: "
                        "set the purpose to Delivery or remove the deliveries.",
                        visit=visit.display_name,
                    )
                )
            for picking in visit.picking_ids.sudo():
                if picking.picking_type_code != "outgoing":
                    raise ValidationError(
                        self.env._(
                            "%(picking)s is not a delivery to a customer: a delivery visit "
                            "lists outgoing pickings only.",
                            picking=picking.name,
                        )
                    )
                customer = picking.partner_id.commercial_partner_id
                if customer != visit.partner_id:
                    raise ValidationError(
                        self.env._(
                            "%(picking)s is a delivery to %(other)s, not to %(customer)s: "
                            "visit %(visit)s delivers only its own customer's pickings. "
                            "Plan a delivery visit to %(other)s instead.",
                            picking=picking.name,
                            other=customer.display_name or self.env._("no customer"),
                            customer=visit.partner_id.display_name,
                            visit=visit.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # Proof of delivery
    # ------------------------------------------------------------------

    def _spm_check_delivery_rep(self, action):
        """Only the visit's rep (or a sales manager) acts at a delivery, once checked in."""
        self._spm_ensure_one(action)
        self._spm_check_visit_rep(action)
        if self.state not in CHECKED_IN:
            raise UserError(
                self.env._(
                    "%(action)s: visit %(visit)s is %(state)s. Check in at the customer "
                    "first: the proof of delivery is taken there.",
                    action=action,
                    visit=self.display_name,
                    state=self._spm_state_label(),
                )
            )
        self.check_access("write")
        pickings = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(
                self.env._(
                    "%(action)s: visit %(visit)s has no delivery left to make: add the "
                    "customer's picking on its Delivery tab.",
                    action=action,
                    visit=self.display_name,
                )
            )
        return pickings

    def action_spm_send_delivery_proof(self):
        """Put the proof of delivery on the visit's open pickings."""
        pickings = self._spm_check_delivery_rep(self.env._("Send Proof"))
        self._spm_send_delivery_proof(pickings)
        return True

    def _spm_send_delivery_proof(self, pickings):
        """Signature, photos and check-in of the visit on ``pickings`` (checked by
        ``_spm_check_delivery_rep``): written as the system, since a rep's rights on
        pickings and their attachments are the warehouse's to give."""
        self.ensure_one()
        pickings = pickings.sudo()
        if self.delivery_signature:
            unsigned = pickings.filtered(lambda p: p.signature != self.delivery_signature)
            if unsigned:
                unsigned.write({"signature": self.delivery_signature})
        self._spm_copy_photos(pickings)
        body = self._spm_delivery_proof_note()
        for picking in pickings:
            picking.message_post(body=body, author_id=self.env.user.partner_id.id)

    def _spm_copy_photos(self, pickings):
        """The visit's photos on the pickings, once each: the stamped copy (customer, local
        time, position, rep) where there is one, the evidence a warehouse can read off."""
        photos = self.env["spm.visit.photo"].sudo().search([("visit_id", "=", self.id)])
        originals = self.env["ir.attachment"].union(
            *(photo.stamped_attachment_id or photo.attachment_id for photo in photos)
        )
        if not originals:
            return
        Attachment = self.env["ir.attachment"].sudo()
        copied = {
            (attachment.res_id, attachment.name)
            for attachment in Attachment.search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", pickings.ids),
                    ("name", "in", originals.mapped("name")),
                ]
            )
        }
        Attachment.create(
            [
                {
                    "name": original.name,
                    "raw": original.raw,
                    "mimetype": original.mimetype,
                    "res_model": "stock.picking",
                    "res_id": picking.id,
                }
                for picking in pickings
                for original in originals
                if (picking.id, original.name) not in copied
            ]
        )

    def _spm_delivery_proof_note(self):
        self.ensure_one()
        when = spm_now(spm_rep_tz(self.user_id, self.company_id).zone, now=self.check_in_time)
        if self.check_in_latitude or self.check_in_longitude:
            position = self.env._(
                "%(latitude)s, %(longitude)s — %(location)s",
                latitude=f"{self.check_in_latitude:.6f}",
                longitude=f"{self.check_in_longitude:.6f}",
                location=self._spm_location_note(self.check_in_distance_m, self.location_status),
            )
        else:
            position = self.env._("no position")
        signed = (
            self.env._("signed by %(name)s", name=self.delivery_signed_by or self.partner_id.name)
            if self.delivery_signature
            else self.env._("not signed")
        )
        return self.env._(
            "Proof of delivery from visit %(visit)s by %(rep)s: checked in at %(time)s, "
            "position %(position)s; %(signed)s; %(photos)s photo(s).",
            visit=self.name,
            rep=self.user_id.name,
            time=f"{when:%Y-%m-%d %H:%M %Z}",
            position=position,
            signed=signed,
            photos=self.env["spm.visit.photo"].sudo().search_count([("visit_id", "=", self.id)]),
        )

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def action_spm_validate_delivery(self):
        """Send the proof and validate the visit's open pickings with Odoo's own
        validation; returns its wizard (backorder, ...) when it asks one."""
        action = self.env._("Validate Delivery")
        pickings = self._spm_check_delivery_rep(action)
        if not self.delivery_signature:
            raise UserError(
                self.env._(
                    "Validate Delivery: the customer has not signed visit %(visit)s. Let the "
                    "customer sign on the Delivery tab first.",
                    visit=self.display_name,
                )
            )
        if not self.env.user.has_group("stock.group_stock_user"):
            raise UserError(
                self.env._(
                    "Validate Delivery: %(user)s has no Inventory rights and may not validate "
                    "%(pickings)s. Send the proof and ask the warehouse to validate, or ask "
                    "for the Inventory / User rights.",
                    user=self.env.user.name,
                    pickings=", ".join(pickings.mapped("name")),
                )
            )
        multi_step = pickings.filtered(
            lambda p: p.picking_type_id.warehouse_id.delivery_steps != "ship_only"
        )
        if multi_step:
            raise UserError(
                self.env._(
                    "Validate Delivery: warehouse %(warehouse)s delivers %(picking)s in "
                    "several steps (pick, pack, ship); the warehouse validates it there.",
                    warehouse=multi_step[0].picking_type_id.warehouse_id.name,
                    picking=multi_step[0].name,
                )
            )
        self._spm_send_delivery_proof(pickings)
        return pickings.button_validate()

    def action_spm_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update(
            {
                "domain": [("id", "in", self.picking_ids.ids)],
                "context": {"create": False},
            }
        )
        return action
