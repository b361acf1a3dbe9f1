"""The installed version of cop."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("cop-health")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.1.0"
