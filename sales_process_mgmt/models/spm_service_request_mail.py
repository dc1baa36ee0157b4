"""Service requests by e-mail: the after-sales alias (service@) opens a request per
new message, and replies to a request's e-mails land in its chatter.

The sender is matched to a partner by his e-mail address. A customer's contact opens a
request of his company (its commercial partner): the customer's rep and team follow it
(the request's own computes), the contact is its follower and hears every answer. A
sender nobody knows, or one of the company's own people, opens a request without a
customer: it waits for a sales manager, who gets an activity to set the customer and
the rep; the sender's address stays on the request (its CC), so the answers reach him.
Known partners copied on the e-mail follow the request when they are the customer's
people or the company's users; other copied addresses stay in its CC. A sender who
opens too many requests in a short time (an auto-replier) is stopped by the gateway's
loop guard.
"""

from odoo import api, models, tools

from .spm_manager import manager_to_notify


class SpmServiceRequest(models.Model):
    _inherit = "spm.service.request"

    # -- mail gateway -------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        sender = self._spm_sender(msg_dict)
        customer = self._spm_customer_of(sender)
        # The reference comes from the sequence, not from the subject.
        values.setdefault("name", "New")
        values.setdefault("subject", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("description", msg_dict.get("body"))
        if customer:
            values.setdefault("partner_id", customer.id)
            values.setdefault("contact_id", sender.id)
            if customer.company_id:
                values.setdefault("company_id", customer.company_id.id)
        elif msg_dict.get("email_from"):
            copied = ", ".join(filter(None, (msg_dict["email_from"], msg_dict.get("cc"))))
            values.setdefault(
                "email_cc", ", ".join(self._mail_cc_sanitized_raw_dict(copied).values())
            )
        service_request = super().message_new(msg_dict, custom_values=values)
        if service_request.user_id:
            # The rep came from the customer (a compute): he follows the request and is
            # told it is his, as when he is set on the form.
            service_request._message_auto_subscribe({"user_id": service_request.user_id.id})
        service_request._spm_subscribe_copied(msg_dict)
        service_request._spm_ask_assignment(sender, msg_dict.get("email_from"))
        return service_request

    def message_update(self, msg_dict, update_vals=None):
        self._spm_subscribe_copied(msg_dict)
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """The requests a sender opened, for the gateway's loop guard (an auto-replier
        writing to the alias opens at most its threshold of requests): those he is the
        contact of, or whose CC he is in."""
        return [
            "|",
            ("contact_id.email_normalized", "=", email_from_normalized),
            ("email_cc", "ilike", email_from_normalized),
        ]

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.contact_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.contact_id, reason=self.env._("Customer Contact")
            )
        elif self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=self.env._("Customer")
            )
        return recipients

    # -- helpers --------------------------------------------------------------------

    @api.model
    def _spm_sender(self, msg_dict):
        """The partner who sent ``msg_dict``: its author as the gateway found him, else
        the partner of its sender's address (empty when nobody has it)."""
        sender = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not sender and msg_dict.get("email_from"):
            sender = self._mail_find_partner_from_emails([msg_dict["email_from"]])[0]
        return sender

    @api.model
    def _spm_customer_of(self, sender):
        """The customer ``sender`` writes for: his commercial partner, unless he is one
        of the company's own people (a user of the database, or a company of it)."""
        if not sender or sender.sudo().user_ids.filtered(lambda user: not user.share):
            return sender.browse()
        customer = sender.commercial_partner_id
        if self.env["res.company"].sudo().search_count([("partner_id", "=", customer.id)]):
            return sender.browse()
        return customer

    def _spm_subscribe_copied(self, msg_dict):
        """Make followers of the known partners in the To and CC of ``msg_dict`` who
        belong to the customer or are the company's users."""
        emails = tools.email_split(
            ", ".join(filter(None, (msg_dict.get("to"), msg_dict.get("cc"))))
        )
        if not emails:
            return
        for service_request in self:
            partners = self.env["res.partner"].concat(
                *self._mail_find_partner_from_emails(emails, records=service_request)
            )
            customer = service_request.partner_id
            ours = partners.filtered(
                lambda partner, customer=customer: (
                    (customer and partner.commercial_partner_id == customer)
                    or partner.sudo().user_ids.filtered(lambda user: not user.share)
                )
            )
            if ours:
                service_request.message_subscribe(ours.ids)

    def _spm_ask_assignment(self, sender, email_from):
        """A request by e-mail without a customer or a rep waits for a sales manager: the
        leader of its team, else the company's first sales manager, gets an activity."""
        self.ensure_one()
        if self.partner_id and self.user_id:
            return
        manager = manager_to_notify(
            self.env,
            self.company_id,
            "sales_team.group_sale_manager",
            leaders=(self.team_id.user_id,),
        )
        if not manager:
            return
        sender_label = sender.email_formatted or email_from or "-"
        if self.partner_id:
            note = self.env._(
                "Request %(request)s of %(customer)s came by e-mail from %(sender)s and "
                "the customer has no sales rep: assign the request to a rep.",
                request=self.name,
                customer=self.partner_id.display_name,
                sender=sender_label,
            )
        else:
            note = self.env._(
                "Request %(request)s came by e-mail from %(sender)s, who is not a known "
                "customer contact: set its customer (and contact) and assign it to a rep.",
                request=self.name,
                sender=sender_label,
            )
        self.sudo().activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo",
            summary=self.env._("Assign the service request %(request)s", request=self.name),
            note=tools.plaintext2html(note),
            user_id=manager.id,
        )
