"""django-import-export resources: the service list and monthly usage.

Files are read by services.spreadsheets (messy layouts, encodings, office spellings);
the resources match each row to a service and write through services.actions, all rows
or none.
"""

from services.resources.service_list import ServiceResource
from services.resources.usage import UsageResource

__all__ = ["ServiceResource", "UsageResource"]
