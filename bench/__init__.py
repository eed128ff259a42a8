"""Benchmarks: they print figures and save JSON; tests never assert on time."""
