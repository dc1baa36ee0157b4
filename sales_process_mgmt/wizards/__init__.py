from . import spm_visit_log_wizard
from . import spm_credit_override_wizard
from . import sale_advance_payment_inv
from . import spm_visit_order_wizard
from . import spm_pop_install_wizard
from . import spm_service_reopen_wizard
from . import spm_collection_receipt_refuse_wizard
from . import spm_customer_statement_wizard
