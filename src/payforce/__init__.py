"""payforce: read U.S. healthcare payment policy; turn it into evidence-backed workforce signals."""

__version__ = "0.1.0"

__all__ = ["__version__"]
