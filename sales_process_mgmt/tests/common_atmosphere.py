from freezegun import freeze_time

from odoo import fields

from .common_visit import SpmVisitCommon


class SpmAtmosphereCommon(SpmVisitCommon):
    """Store atmosphere audits made as the rep makes them on the phone: check in, Audit
    Atmosphere, a star per element, check out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["spm.visit.atmosphere.line"]

    @classmethod
    def _checked_in(cls, partner=None, user=None, when="2026-03-02 02:00:00"):
        visit = cls._visit(partner, user, start=fields.Datetime.to_datetime(when))
        with freeze_time(when):
            visit.with_user(user or cls.rep).action_check_in()
        return visit

    @classmethod
    def _score(cls, visit, scores, user=None):
        """Audit Atmosphere, then ``scores`` ({element: 1..5}) tapped in as the rep."""
        rep = user or visit.user_id
        visit.with_user(rep).action_spm_audit_atmosphere()
        for line in visit.atmosphere_line_ids:
            if line.element in scores:
                line.with_user(rep).score = str(scores[line.element])

    @classmethod
    def _check_out(cls, visit, when="2026-03-02 03:00:00"):
        rep = visit.user_id
        with freeze_time(when):
            visit.with_user(rep).outcome = "Store atmosphere audited"
            visit.with_user(rep).action_check_out()

    @classmethod
    def _audited_visit(cls, scores, day="2026-03-02", partner=None, user=None):
        """A visit done on ``day`` whose atmosphere scored ``scores``."""
        visit = cls._checked_in(partner, user, f"{day} 02:00:00")
        cls._score(visit, scores)
        cls._check_out(visit, f"{day} 03:00:00")
        return visit

    @staticmethod
    def _all(score):
        return dict.fromkeys(("pop", "colour", "music", "staff"), score)
