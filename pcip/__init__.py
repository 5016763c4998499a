"""pcip: Public Credit Information Platform (Chongqing Municipal Social Credit Regulations 2021)."""

__version__ = "0.1.0"

# Art. 57: the regulation this software implements, cited on every generated decision.
REGULATION_NAME = "Chongqing Municipal Social Credit Regulations (2021)"
REGULATION_EFFECTIVE = "2021-07-01"
