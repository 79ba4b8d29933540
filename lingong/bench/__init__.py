"""`lingong bench …`: measurements that print one JSON object as their last line."""

from __future__ import annotations

import argparse
import json


def run_bench(args: argparse.Namespace) -> int:
    from .machine import describe

    machine = describe()  # (before the bench: its load would slow the calibration)
    if args.bench == "sync":
        from .sync import bench_sync

        result = bench_sync(args)
    elif args.bench == "match":
        from .match import bench_match

        result = bench_match(args)
    elif args.bench == "display":
        from .display import bench_display

        result = bench_display(args)
    elif args.bench == "faults":
        from .faults import bench_faults

        result = bench_faults(args)
    elif args.bench == "market":
        from .market import bench_market

        result = bench_market(args)
    elif args.bench == "storm":
        from .storm import bench_storm

        result = bench_storm(args)
    elif args.bench == "kiosk":
        from .kiosk import bench_kiosk

        result = bench_kiosk(args)
    elif args.bench == "calling":
        from .calling import bench_calling

        result = bench_calling(args)
    elif args.bench == "van":
        from .van import bench_van

        result = bench_van(args)
    else:  # argparse only offers the benches that exist
        raise SystemExit(f"unknown bench {args.bench}")
    print(json.dumps(result | {"machine": machine}, ensure_ascii=False))
    return 0
