"""How long a USB update takes from the tap to the preview, on this machine.

Exports the bundled content to a folder (a stick), then times ``stage``: the copy to the
kiosk's disk, the verification, the damage checks, the full content check and the list of
changes, which is what the staff panel runs before it shows the preview. The first run pays
the checker's imports (Markdown, the HTML sanitizer, the reading-level dictionaries), as the
first update after a kiosk starts does; the others do not.

    .venv/bin/python bench/usb_import.py [RUNS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import sys, time
from pathlib import Path
t = time.perf_counter()
from kiosk.config import bundled_content
from kiosk.store import Store
from kiosk.transfer import stage
store = Store(Path(sys.argv[2]))
with store.staging() as folder:
    result = stage(Path(sys.argv[1]), folder, bundled_content())
first = time.perf_counter() - t
t = time.perf_counter()
with store.staging() as folder:
    stage(Path(sys.argv[1]), folder, bundled_content())
print(first, time.perf_counter() - t, result.files, result.size)
"""


def main(runs: int = 5) -> int:
    from kiosk.config import bundled_content
    from kiosk.transfer import export

    tmp = Path(tempfile.mkdtemp())
    try:
        stick = tmp / "stick"
        stick.mkdir()
        export(bundled_content(), stick)
        firsts, agains = [], []
        files = size = 0
        for n in range(runs):
            out = subprocess.run([sys.executable, "-c", CHILD, str(stick), str(tmp / f"s{n}")],
                                 capture_output=True, text=True, check=True, timeout=300)
            first, again, files, size = (float(x) for x in out.stdout.split())
            firsts.append(first)
            agains.append(again)
        print(f"bundled content: {int(files)} files, {int(size):,} bytes")
        first = statistics.median(firsts)
        print(f"tap to preview, first update after a start: median {first:.2f} s of {runs} "
              "(each in a fresh process)")
        print(f"tap to preview, later updates: median {statistics.median(agains):.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
