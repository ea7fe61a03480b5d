"""Speed and memory of gategrad, side by side with micrograd and torch: python -m benchmarks.run.

One thread for every library: torch is set to one thread in run.py, and numpy's BLAS is
limited here, before numpy loads it. On a machine whose cores are busy, a multi-threaded BLAS
waits milliseconds for a descheduled thread on each small matrix product.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
