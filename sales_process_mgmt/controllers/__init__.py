from . import portal
from . import json_export
from . import vcard_export
