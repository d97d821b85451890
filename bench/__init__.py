"""Benchmarks: commands that print figures (`python -m bench.extract`)."""
