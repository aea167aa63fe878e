"""Realistic demo data for a mother-and-baby chain: used by the demo, the tests and the benchmarks."""
