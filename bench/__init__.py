"""Benchmarks and the catalogue generator they run on (see the README, "Benchmarks")."""
