"""spbe: self-assessment toolkit for the Indonesian SPBE / Pemdi maturity evaluation."""

__version__ = "0.1.0"
