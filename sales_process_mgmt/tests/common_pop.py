from datetime import date, datetime

from .common_visit import SpmVisitCommon

# a 1x1 PNG: the photo of the installed POP
PHOTO = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
# the tests' now: 10:00 in Shanghai on 10 March 2026
NOW = "2026-03-10 02:00:00"
TODAY = date(2026, 3, 10)


class SpmPopCommon(SpmVisitCommon):
    """Two POP materials and a second outlet of the rep; deployments are made with
    ``_deployment`` (installed on a day when ``installed_on`` is given) and inspected on
    a visit checked in with ``_checked_in_visit``. Run under ``freeze_time(NOW)``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Material = cls.env["spm.pop.material"]
        cls.Deployment = cls.env["spm.pop.deployment"]
        cls.Inspection = cls.env["spm.pop.inspection"]
        cls.poster = cls.Material.create(
            {
                "name": "S1 Poster A1",
                "material_type": "poster",
                "unit_cost": 15.0,
                "inspection_interval_days": 14,
                "expected_life_days": 60,
            }
        )
        cls.light_box = cls.Material.create(
            {
                "name": "Shop Light Box",
                "material_type": "light_box",
                "unit_cost": 1200.0,
                "inspection_interval_days": 30,
                "expected_life_days": 730,
            }
        )
        cls.other_outlet = cls.env["res.partner"].create(
            {
                "name": "Xujiahui Counter",
                "is_company": True,
                "spm_archive_type": "outlet",
                "user_id": cls.rep.id,
                "spm_region_id": cls.region_sh.id,
            }
        )

    @classmethod
    def _deployment(cls, material=None, partner=None, qty=1, installed_on=None, **vals):
        deployment = cls.Deployment.create(
            {
                "partner_id": (partner or cls.customer).id,
                "material_id": (material or cls.poster).id,
                "qty": qty,
                **vals,
            }
        )
        if installed_on:
            deployment._spm_install(PHOTO, installed_on)
        return deployment

    @classmethod
    def _checked_in_visit(cls, partner=None, user=None):
        visit = cls._visit(partner, user, start=datetime(2026, 3, 10, 1, 30))
        visit._spm_write_proof(
            {"state": "in_progress", "check_in_time": datetime(2026, 3, 10, 1, 35)}
        )
        return visit
