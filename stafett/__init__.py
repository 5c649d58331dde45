"""stafett: BTI case records (stafettlogg) as YAML files in git."""

__version__ = "0.1.0"
