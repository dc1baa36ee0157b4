from . import res_company
from . import res_config_settings
from . import spm_region
from . import res_partner
from . import spm_competitor_product
from . import spm_pr_record
from . import spm_visit
from . import sale_order
