from datetime import datetime

from .common import SpmCommon

# Huatong's shop on Nanjing Road, Shanghai
SHOP = (31.2304, 121.4737)


class SpmVisitCommon(SpmCommon):
    """A located customer of the rep (class A) and the rep in Shanghai time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.tz = "Asia/Shanghai"
        cls.rep_colleague.tz = "Asia/Shanghai"
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Nanjing Road Outlet",
                "is_company": True,
                "spm_archive_type": "outlet",
                "spm_tier": "A",
                "user_id": cls.rep.id,
                "spm_region_id": cls.region_sh.id,
                "partner_latitude": SHOP[0],
                "partner_longitude": SHOP[1],
            }
        )
        cls.Visit = cls.env["spm.visit"]

    @classmethod
    def _visit(cls, partner=None, user=None, start=None, **vals):
        return cls.Visit.create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": (user or cls.rep).id,
                "planned_start": start or datetime(2026, 3, 2, 2, 0),
                **vals,
            }
        )

    @classmethod
    def _done_visit(cls, partner=None, user=None, start=None, **vals):
        """A visit done at ``start``, its proof written as its buttons write it."""
        visit = cls._visit(partner, user, start, outcome="Visited", **vals)
        visit._spm_write_proof(
            {
                "state": "done",
                "check_in_time": start or datetime(2026, 3, 2, 2, 0),
                "check_out_time": start or datetime(2026, 3, 2, 2, 0),
            }
        )
        return visit
