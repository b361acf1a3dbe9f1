"""Write the golden outputs that refactors must keep byte-identical.

Run ``python tests/golden/make_golden.py`` only when a change of behaviour is
intended (and say so in the commit); ``tests/test_golden.py`` compares against
the files written here.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for _diag_logs

#: (scenario, seed, years, initial members) of the simulated golden logs
SIM_CASES = [("baseline_coworking", 11, 1.0, 40), ("fading_community", 5, 1.0, 40)]


def diagnosis_json(log) -> str:
    """The ``cop diagnose --format json`` text of ``log`` (as the CLI renders it)."""
    import cop

    return cop.diagnose(log).to_json()


def example_json() -> str:
    """The CLI's JSON output on the bundled example."""
    from typer.testing import CliRunner

    import cop
    from cop.cli import app

    paths = cop.example_paths()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "d.json"
        args = ["diagnose", str(paths["activities"]), "--members", str(paths["members"]),
                "--activities", str(paths["details"]), "--format", "json", "-o", str(out)]
        res = CliRunner().invoke(app, args)
        if res.exit_code != 0:
            raise RuntimeError(res.output)
        # the data path depends on where the project is checked out
        text = out.read_text(encoding="utf-8").replace(str(paths["activities"].parent), "<example>")
        return stable_provenance(text)


def stable_provenance(text: str) -> str:
    """The diagnosis JSON text with the volatile provenance fields (time, versions, command) masked."""
    from cop.provenance import VOLATILE_FIELDS

    data = json.loads(text)
    for key in VOLATILE_FIELDS:
        if key in data.get("provenance", {}):
            data["provenance"][key] = "<volatile>"
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def simulated_log_digest(name: str, seed: int, years: float, initial: int) -> str:
    """sha256 of the activity log CSV of one seeded run of scenario ``name``."""
    import scenarios
    import simulation
    from cop.io import write_log

    sc = scenarios.load_scenario(name, space__years=years, arrivals__initial_members=initial)
    res = simulation.run(sc, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        write_log(res.log, Path(tmp) / "log")
        h = hashlib.sha256()
        for f in sorted((Path(tmp) / "log").iterdir()):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
        return h.hexdigest()


def outputs() -> dict[str, str]:
    """Every golden output by file name."""
    import _diag_logs

    out = {"example_diagnosis.json": example_json(),
           "star_diagnosis.json": diagnosis_json(_diag_logs.star()),
           "silos_diagnosis.json": diagnosis_json(_diag_logs.silos())}
    out["simulated_logs.json"] = json.dumps(
        {f"{n}-seed{s}": simulated_log_digest(n, s, y, i) for n, s, y, i in SIM_CASES}, indent=1) + "\n"
    return out


if __name__ == "__main__":
    for name, text in outputs().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(text))
