"""Version of the skillgap distribution."""

__version__ = "0.1.0"
