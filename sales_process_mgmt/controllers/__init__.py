from . import portal
from . import json_export
