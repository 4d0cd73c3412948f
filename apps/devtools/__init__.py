"""Developer tools: the demo data of `make run` (seed_demo) and the benchmark of `make bench` (bench).

Nothing in the domain apps imports this package; it imports them (services, selectors, models)
to build data the way clerks and the public would.
"""
