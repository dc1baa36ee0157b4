from odoo import api, models


class SpmRatioReportMixin(models.AbstractModel):
    """A SQL report whose ratio columns, grouped, are computed again from the summed
    figures they are made of: a sum or an average of ratios means nothing. A report
    lists them in ``_spm_ratios()``: ``{ratio field: (figure fields, compute(row))}``."""

    _name = "spm.ratio.report.mixin"
    _description = "Report With Ratios of Summed Figures"

    @api.model
    def _spm_ratios(self):
        return {}

    @api.model
    def read_group(  # noqa: PLR0917 - Odoo's own signature
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        names = {spec.split(":")[0] for spec in fields}
        ratios = {name: ratio for name, ratio in self._spm_ratios().items() if name in names}
        if not ratios:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        figures = sorted({figure for figures, __ in ratios.values() for figure in figures})
        extra = [f"{figure}:sum" for figure in figures if figure not in names]
        rows = super().read_group(
            domain, list(fields) + extra, groupby, offset, limit, orderby, lazy
        )
        for row in rows:
            for name, (__, compute) in ratios.items():
                row[name] = compute(row)
            for spec in extra:
                row.pop(spec.split(":")[0], None)
        return rows
