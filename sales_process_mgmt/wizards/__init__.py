from . import spm_visit_log_wizard
