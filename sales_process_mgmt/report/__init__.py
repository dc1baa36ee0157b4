from . import spm_ratio_report_mixin
from . import spm_collection_report
from . import spm_collection_ageing_report
from . import spm_referral_report
from . import spm_promotion_report
from . import spm_service_report
from . import spm_sellout_ledger
from . import spm_sellout_ledger_report
