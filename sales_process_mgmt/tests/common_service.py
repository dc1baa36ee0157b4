"""The base of the after-sales tests: the reps' customers, a working calendar in
Shanghai (Monday to Friday 8:00-12:00 and 13:00-17:00) and SLAs of known hours, and a
clock the tests set (Python's and the transaction's, which stamps the creation)."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command

from .common import SpmCommon

# Friday 9 January 2026, 17:00 in Shanghai (UTC+8): the end of the working week.
FRIDAY_17_SHANGHAI = datetime(2026, 1, 9, 9, 0)


class SpmServiceCommon(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._calendar("Shanghai Office", "Asia/Shanghai")
        cls.company.resource_calendar_id = cls.calendar
        Sla = cls.env["spm.service.sla"]
        Sla.search([("company_id", "=", cls.company.id)]).action_archive()
        Sla.flush_model()
        cls.sla_normal, cls.sla_urgent = Sla.create(
            [
                {"priority": "1", "response_hours": 4, "resolution_hours": 16},
                {"priority": "3", "response_hours": 2, "resolution_hours": 8},
            ]
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "East Team", "member_ids": [Command.set((cls.rep | cls.rep_colleague).ids)]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Jinling Mobile", "is_company": True, "user_id": cls.rep.id}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Zhou Min", "parent_id": cls.customer.id, "email": "zhou@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Other Co Customer",
                "is_company": True,
                "company_id": cls.other_company.id,
                "user_id": cls.other_rep.id,
            }
        )

    @classmethod
    def _calendar(cls, name, tz):
        """A calendar of Odoo's default week (Monday to Friday, 8-12 and 13-17) in
        ``tz``."""
        return cls.env["resource.calendar"].create({"name": name, "tz": tz})

    @contextmanager
    def at(self, moment):
        """The clock at ``moment`` (naive UTC), for Python and for the transaction."""
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _request(self, user=None, **values):
        """A request of the customer, opened by ``user`` (the superuser by default)."""
        env = self.env(user=user) if user else self.env
        return env["spm.service.request"].create(
            {"subject": "Screen flickers", "partner_id": self.customer.id, **values}
        )

    def _resolve(self, request, text="<p>Screen replaced.</p>"):
        request.write({"resolution": text})
        request.action_resolve()
