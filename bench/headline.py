"""The headline through the store, before and after paging in Cypher, in one run.

python -m bench.headline --data /tmp/data-10k-h [--samples 20] [--limit 50]

Opens the embedded store of a data directory already loaded (`itsm-ontology load`), takes the
activity with the most contributions, checks that every page is the same both ways, and prints
p50/p95/p99 of the first page (with and without roles) computed both ways with nothing in memory:
**before**, the whole list from cypher/value_chain/practices.cypher shaped and cut in Python (the
path before issue 12's paging, still the one aligned=true takes); **after**,
`value_chain.contributions`, the page cut in Cypher (value_chain/practices_total and
practices_page). One process, no HTTP.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.graph.lifecycle import open_store
from app.graph.store import GraphStore
from app.models import Contribution, ContributionList
from app.paging import Page
from app.services import value_chain
from app.settings import Settings

Ask = Callable[[GraphStore, str, bool, Page], ContributionList]


def before(store: GraphStore, activity: str, roles: bool, page: Page) -> ContributionList:
    summary, shaped = value_chain._shaped(
        store, activity, min_level=value_chain.DEFAULT_MIN_LEVEL, source=None, include_roles=roles, graph=None
    )
    window = [Contribution(**item) for item in shaped[page.skip : page.skip + page.limit]]
    return ContributionList(activity=summary, **page.wrap(window, len(shaped)))


def after(store: GraphStore, activity: str, roles: bool, page: Page) -> ContributionList:
    return value_chain.contributions(
        store, activity, min_level=value_chain.DEFAULT_MIN_LEVEL, source=None, include_roles=roles, page=page
    )


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a loaded ITSM_DATA_DIR")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--limit", type=int, default=50, help="page size (the API's default is 50)")
    args = parser.parse_args()
    with open_store(Settings(data_dir=args.data, store="embedded")) as store:
        hub = store.run_read(
            "MATCH (:Practice)-[c:CONTRIBUTES_TO]->(a:ValueChainActivity) "
            "RETURN a.id AS id, count(c) AS statements ORDER BY statements DESC, id LIMIT 1"
        )[0]
        relationships = store.run_read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        activity = hub["id"]
        print(f"{relationships} relationships; hub activity {activity}: {hub['statements']} statements")
        for roles in (True, False):
            total = before(store, activity, roles, Page(0, 1, None)).total
            for skip in range(0, total + args.limit, args.limit):
                page = Page(skip, args.limit, None)
                old, new = before(store, activity, roles, page), after(store, activity, roles, page)
                assert old.model_dump_json(exclude_unset=True) == new.model_dump_json(exclude_unset=True), skip
            print(f"include=roles {roles}: every page of {args.limit} of {total} practices the same both ways")
            ways: list[tuple[str, Ask]] = [("before", before), ("after", after)]
            for name, ask in ways:
                first = Page(0, args.limit, None)
                for _ in range(3):
                    ask(store, activity, roles, first)
                samples = []
                for _ in range(args.samples):
                    start = time.perf_counter()
                    ask(store, activity, roles, first)
                    samples.append((time.perf_counter() - start) * 1000)
                print(
                    f"  {name:6} first page: p50 {statistics.median(samples):7.1f} ms  "
                    f"p95 {quantile(samples, 0.95):7.1f} ms  p99 {quantile(samples, 0.99):7.1f} ms  (n={args.samples})"
                )


if __name__ == "__main__":
    main()
