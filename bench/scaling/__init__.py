"""The scaling benchmark of the sync (``bench/bench_sync.py``): stack, fleets, measurements, report."""
