"""Build of cop's one compiled module, :mod:`cop.io._fastcsv` (everything else is in pyproject.toml).

The module is optional: where no C compiler is found the build goes on without it, and
cop reads every CSV file with Arrow's reader instead (the same frames, more slowly).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("cop.io._fastcsv", sources=["cop/io/_fastcsv.c"], optional=True)])
