"""Benchmark: the exact advisor on random 47-indicator plans, and against exhaustive search on small ones."""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from decimal import Decimal
from fractions import Fraction

from spbe.method.advice import plan
from spbe.method.rubric import get_rubric
from spbe.method.scoring import publish

EFFORTS = [Decimal(x) for x in ("0", "0.5", "1", "1", "2", "3", "5", "8")]


def random_instance(rubric, rng: random.Random) -> tuple[dict[str, Decimal], dict, Decimal]:
    """Random levels, random efforts (non-monotone, some zero), and an index target between now and 5."""
    levels = {i.id: Decimal(rng.randint(1, 5)) for i in rubric.indicators}
    efforts = {(i.id, lv): rng.choice(EFFORTS) for i in rubric.indicators for lv in range(2, 6)}
    now = publish(sum(i.weight * levels[i.id] for i in rubric.indicators) / 100)
    span = int((5 - now) * 100)
    return levels, efforts, now + Decimal(rng.randint(min(1, span), span)) / 100


def exhaustive(rubric, levels, efforts, target, free, max_step) -> Decimal | None:
    """Least effort over every combination of climbs on the free indicators (the baseline the DP replaces)."""
    base = sum(Fraction(i.weight) * Fraction(levels[i.id]) for i in rubric.indicators)
    options = []
    for ind in free:
        start, weight = int(levels[ind]), Fraction(rubric.indicator_by_id[ind].weight)
        ups = list(range(start + 1, 6))[:max_step]
        options.append([(sum((efforts[(ind, lv)] for lv in ups[:k]), Decimal(0)), weight * k)
                        for k in range(len(ups) + 1)])
    best = None
    for combo in itertools.product(*options):
        value = (base + sum(lift for _, lift in combo)) / 100
        if publish(Decimal(value.numerator) / Decimal(value.denominator)) >= target:
            effort = sum(e for e, _ in combo)
            best = effort if best is None or effort < best else best
    return best


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=500, help="full 47-indicator plans to time")
    parser.add_argument("-m", type=int, default=30, help="reduced instances for the exhaustive comparison")
    parser.add_argument("--free", type=int, default=6, help="free indicators in a reduced instance")
    args = parser.parse_args()
    rubric = get_rubric("spbe-2021")
    rng = random.Random(2025)

    full_ms, reachable = [], 0
    for _ in range(args.n):
        levels, efforts, target = random_instance(rubric, rng)
        ms, result = timed(plan, rubric, levels, target, max_step=4, efforts=efforts)
        full_ms.append(ms)
        reachable += result.reachable

    dp_ms, brute_ms, reduced_reachable = [], [], 0
    for _ in range(args.m):
        levels, efforts, target = random_instance(rubric, rng)
        free = rng.sample([i.id for i in rubric.indicators], args.free)
        levels |= {ind: Decimal(1) for ind in free}  # every free indicator can climb 4 levels: 5^free plans
        locked = set(rubric.indicator_by_id) - set(free)
        now = sum(i.weight * levels[i.id] for i in rubric.indicators) / 100
        target = publish(now) + Decimal(rng.randint(0, 80)) / 100
        ms, result = timed(plan, rubric, levels, target, max_step=4, locked=locked, efforts=efforts)
        dp_ms.append(ms)
        reduced_reachable += result.reachable
        ms, best = timed(exhaustive, rubric, levels, efforts, target, free, 4)
        brute_ms.append(ms)
        assert (best is None) == (not result.reachable) and (best is None or best == result.total_effort)

    p95 = statistics.quantiles(full_ms, n=20)[-1]
    print(f"advisor, 47 indicators, max-step 4, random efforts: {args.n} plans ({reachable} reachable)")
    print(f"  mean {statistics.mean(full_ms):.2f} ms, p95 {p95:.2f} ms, max {max(full_ms):.2f} ms per plan "
          f"(target < 50 ms: {'met' if p95 < 50 else 'MISSED'})")
    print(f"reduced instances: {args.free} free indicators from level 1, max-step 4 ({5 ** args.free:,} "
          f"combinations), {args.m} instances ({reduced_reachable} reachable), same optimum in every one")
    print(f"  advisor    mean {statistics.mean(dp_ms):.2f} ms per plan")
    print(f"  exhaustive mean {statistics.mean(brute_ms):.2f} ms per plan")
    print(f"  ratio exhaustive / advisor: {statistics.mean(brute_ms) / statistics.mean(dp_ms):.1f}x; "
          f"exhaustive over all 47 would enumerate up to 5^47 ≈ {5 ** 47:.1e} combinations")


if __name__ == "__main__":
    main()
