from . import test_market_archive
from . import test_region
from . import test_archive_access
from . import test_contact_book
from . import test_archive_tour
from . import test_collection_rule
from . import test_collection_task
from . import test_credit_hold
