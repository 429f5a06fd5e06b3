"""Open Cap Table Format (OCF) in and out: a package read into the ledger of events, and the
ledger written as a package that validates against the OCF JSON schemas.

The schemas of OCF v1.2.0 are vendored in ``schema/`` (copied unmodified from the Open Cap
Table Coalition's release tag v1.2.0; each carries its copyright ``$comment``, see
``schema/LICENSE.md``): "Copyright © 2024 Open Cap Table Coalition. This software includes
material copied from the OCF JSON schemas, https://github.com/Open-Cap-Table-Coalition/
Open-Cap-Format-OCF/tree/v1.2.0/schema."
"""

OCF_VERSION = "1.2.0"
#: The OCF ids of the two classes every package has.
SERIES_M_ID, COMMON_ID = "series-m", "common"
