"""Benchmark harness tests."""
