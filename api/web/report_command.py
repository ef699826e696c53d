"""``gongxu report``: the staff reports as a self-contained HTML file, CSV or XLSX, with a progress bar.

Registered on the ``gongxu`` group in ``api/cli.py``; imports only click at module level so that
``gongxu --help`` stays fast.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

FORMATS = ("html", "csv", "xlsx")


def _terms(values: tuple[str, ...]) -> list[str]:
    return [t.strip() for value in values for t in value.replace("，", ",").split(",") if t.strip()]


@click.command("report")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day (YYYY-MM-DD; default: a year before --to). Needs count by the day they were posted.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (default: today).")
@click.option("--region", "regions", multiple=True,
              help="Region name, alias or code, e.g. 成渝地区 or 重庆 (repeatable or comma-separated).")
@click.option("--industry", "industries", multiple=True, help="Industry code, e.g. C34 (repeatable).")
@click.option("--bucket", type=click.Choice(["month", "week"]), default="month", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Default: from the output file's extension.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def report(date_from: Any, date_to: Any, regions: tuple[str, ...], industries: tuple[str, ...], bucket: str,
           fmt: str | None, output: Path) -> None:
    """Write the staff reports (gap, unmatched needs and why, coverage, funnel, enterprises served, top
    providers) for a period to OUTPUT as self-contained HTML, CSV or XLSX."""
    from api.cli import friendly

    friendly(_report)(date_from, date_to, regions, industries, bucket, fmt, output)


def _report(date_from: Any, date_to: Any, regions: tuple[str, ...], industries: tuple[str, ...], bucket: str,
            fmt: str | None, output: Path) -> None:
    from tqdm import tqdm

    from api.cli import _with_db
    from api.web.exports import to_csv, to_html, to_xlsx
    from matching.reports import BUNDLE_STEPS, ReportFilter, ReportFilterError, StaffReports

    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise click.UsageError(f"--format is one of {', '.join(FORMATS)} (or name the file .html/.csv/.xlsx)")
    to_day = date_to.date() if date_to else date.today()
    default = ReportFilter.default(to_day)
    flt = ReportFilter(date_from=date_from.date() if date_from else default.date_from, date_to=to_day,
                       regions=_terms(regions), industries=_terms(industries), bucket=bucket)
    started = time.perf_counter()

    async def work(db: Any) -> Any:
        with tqdm(total=BUNDLE_STEPS, desc="report", unit="step", file=sys.stderr,
                  disable=not sys.stderr.isatty()) as bar:
            def step(name: str) -> None:
                bar.set_postfix_str(name)
                bar.update()

            return await StaffReports(db).bundle(flt, progress=step)

    try:
        bundle = asyncio.run(_with_db(work))
    except ReportFilterError as exc:
        click.echo(f"gongxu: error: {exc}", err=True)
        sys.exit(1)
    if fmt == "html":
        output.write_text(to_html(bundle, standalone=True), encoding="utf-8")
    elif fmt == "csv":
        output.write_text(to_csv(bundle), encoding="utf-8")
    else:
        output.write_bytes(to_xlsx(bundle))
    click.echo(f"gongxu: report {flt.date_from}..{flt.date_to} written to {output} "
               f"({time.perf_counter() - started:.1f}s)", err=True)
