"""How long the offices' import takes: a 2,000-row spreadsheet (1,000 merchants, two offers
each) checked, imported as drafts, then imported again unchanged, on a fresh SQLite database.

    .venv/bin/python bench/merchants_import_bench.py [--rows 2000] [--format csv|xlsx]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spreadsheet(rows: int, file_format: str) -> bytes:
    from merchants.importing import COLUMNS, write_file

    streets = ["小龙坎街道", "沙坪坝街道", "磁器口街道", "天星桥街道", "新桥街道"]
    table = [[column.header for column in COLUMNS]]
    for n in range(rows):
        merchant = n // 2
        table.append(
            [
                f"基准商户{merchant:05d}（示例）",
                "餐饮",
                streets[merchant % len(streets)],
                f"示例路{merchant}号",
                f"023-6{merchant:07d}",
                "每日 9:00—21:00",
                f"{29.5 + merchant / 100000:.6f}",
                "106.450000",
                "基准测试数据",
                "",
                "2026-05-01",
                "示例",
                f"优待{n % 2}",
                "现役军人、退役军人",
                "出示优待证",
                "2026-01-01",
                "2099-12-31",
            ]
        )
    return write_file(table, file_format=file_format)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="merchants-bench-") as folder:
        os.environ["DJANGO_SETTINGS_MODULE"] = "siteconf.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
        os.environ.pop("SEARCH_URL", None)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from merchants.importing import merchants_import

        content = spreadsheet(args.rows, args.format)
        name = f"bench.{args.format}"
        for label, dry_run in (("check (dry run)", True), ("import", False), ("re-import", False)):
            started = time.perf_counter()
            report = merchants_import(content=content, filename=name, dry_run=dry_run)
            seconds = time.perf_counter() - started
            print(
                f"{label:<15} {args.rows} rows ({len(content) // 1024} KB {args.format}): "
                f"{seconds:.1f} s, {args.rows / seconds:.0f} rows/s "
                f"(new {report.created}, changed {report.updated}, same {report.unchanged})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
