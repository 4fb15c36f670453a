"""Benchmark: score 100,000 random assessments; report the rate and its ratio to a plain float loop."""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal

from spbe.method.rubric import get_rubric
from spbe.method.scoring import score


def float_baseline(rubric, assessments: list[dict[str, int]]) -> float:
    """The same weighted sums (aspects, domains, index) in plain floats: the floor any scorer could reach."""
    weight = {i.id: float(i.weight) for i in rubric.indicators}
    groups = [[i.id for i in rubric.indicators_of_aspect(a.id)] for a in rubric.meta.aspects]
    groups += [[i.id for i in rubric.indicators_of_domain(d.id)] for d in rubric.meta.domains]
    groups.append([i.id for i in rubric.indicators])
    start = time.perf_counter()
    for levels in assessments:
        for members in groups:
            total = sum(weight[m] * levels[m] for m in members)
            _ = round(total / sum(weight[m] for m in members), 2)
    return time.perf_counter() - start


def decimal_scoring(rubric, assessments: list[dict[str, int]]) -> float:
    start = time.perf_counter()
    for levels in assessments:
        score(rubric, {k: Decimal(v) for k, v in levels.items()})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100_000)
    n = parser.parse_args().n
    rubric = get_rubric("spbe-2021")
    rng = random.Random(2022)
    assessments = [{i.id: rng.randint(1, 5) for i in rubric.indicators} for _ in range(n)]
    base = float_baseline(rubric, assessments)
    spbe = decimal_scoring(rubric, assessments)
    print(f"scored {n} assessments")
    print(f"spbe (Decimal, exact): {spbe:.2f} s = {n / spbe:,.0f} assessments/s")
    print(f"float baseline:        {base:.2f} s = {n / base:,.0f} assessments/s")
    print(f"ratio spbe / baseline throughput: {base / spbe:.3f} (spbe is {spbe / base:.1f}x slower)")


if __name__ == "__main__":
    main()
