"""Benchmarks of implhub (outside tests/, never run by `make test`): `python -m bench.run`, see README,
Performance."""
