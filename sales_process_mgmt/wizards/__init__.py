from . import spm_credit_override_wizard
