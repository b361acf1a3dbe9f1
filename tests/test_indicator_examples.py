"""Every health indicator's docstring carries a runnable example, and it runs.

The indicators are decorated (:func:`cop.health.declaration.indicator`): ``--doctest-modules``
does not look behind the decorator (the wrapper's globals are another module's), so their
examples are run here, each in its own module's namespace.
"""

import doctest
import inspect
import sys

import pytest

from cop.health.registry import INDICATORS


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda f: f.__name__)
def test_indicator_example_runs(indicator):
    body = inspect.unwrap(indicator)
    found = doctest.DocTestFinder(recurse=False).find(body, body.__name__, globs=dict(sys.modules[body.__module__].__dict__))
    tests = [t for t in found if t.examples]
    assert tests, f"{body.__name__}: no example in its docstring"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0, f"{body.__name__}: {runner.failures} example(s) failed (output above)"


def test_examples_leave_the_definitions_alone():
    # the catalogue's definition is the first paragraph of the docstring: an example never joins it
    from cop.health.registry import indicator_specs

    assert all(">>>" not in s.definition and "Examples" not in s.definition for s in indicator_specs())
