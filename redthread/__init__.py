"""redthread: a sourced evidence graph of sanctions-evasion supply networks."""

__version__ = "0.1.0"
