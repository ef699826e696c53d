"""The report bundle as tables, CSV, XLSX and HTML (the web page, its downloads, ``gongxu report``).

The HTML is rendered with Jinja2 from ``api/web/templates``; ECharts comes from the local static
folder (the page) or is inlined (a self-contained exported file), never from a CDN.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.web import vendor
from matching.reports import CONSTRAINT_LABELS, CONSTRAINTS, ReportBundle

TEMPLATES = Path(__file__).with_name("templates")
environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@dataclass
class Table:
    name: str  # sheet / section name
    title: str
    header: list[str]
    rows: list[list[Any]]


def tables(bundle: ReportBundle) -> list[Table]:
    """Every report as a table with Chinese headings, in page order."""
    gap_header = ["维度代码", "地区/行业", "能力大类代码", "能力大类", "需求数", "未关闭需求", "有可行匹配的需求",
                  "可服务的在册服务商", "已发布产能"]

    def gap_rows(rows: list[Any]) -> list[list[Any]]:
        return [[r.key, r.label, r.category_code, r.category, r.needs, r.open_needs, r.matched_needs, r.providers,
                 r.offers] for r in rows]

    return [
        Table("gap_by_region", "供需缺口（地区×能力大类）", gap_header, gap_rows(bundle.gap_by_region)),
        Table("gap_by_industry", "供需缺口（行业×能力大类）", gap_header, gap_rows(bundle.gap_by_industry)),
        Table("unmatched_needs", f"未匹配需求及原因（共 {bundle.unmatched_total} 条）",
              ["需求ID", "标题", "类型", "发布时间", "企业", "地区", "所需能力", "在册服务商", "可行服务商",
               *[CONSTRAINT_LABELS[c] for c in CONSTRAINTS], "原因"],
              [[n.need_id, n.title, n.kind, n.posted_at[:10], n.enterprise, n.region, "、".join(n.capabilities),
                n.listed, n.feasible, *[n.eliminated[c] for c in CONSTRAINTS], n.reasons] for n in bundle.unmatched]),
        Table("coverage", "服务商覆盖不足（省份×能力）",
              ["省份代码", "省份", "能力代码", "能力", "在册服务商", "未关闭需求"],
              [[r.region_code, r.region, r.capability_code, r.capability, r.providers, r.open_needs]
               for r in bundle.coverage]),
        Table("funnel", "需求转化漏斗", ["时间段", "发布", "已匹配", "已接受", "已签约", "已完成", "已取消", "全部被拒",
                                         "匹配状态"],
              [[b.bucket, b.posted, b.matched, b.accepted, b.contracted, b.completed, b.cancelled, b.rejected,
                json.dumps(b.match_statuses, ensure_ascii=False)] for b in bundle.funnel]),
        Table("enterprises_served", "服务企业数（有已接受匹配的企业）", ["维度", "代码", "名称", "企业数"],
              [[r.dimension, r.key, r.label, r.enterprises] for r in bundle.served]),
        Table("top_providers", "服务商排行", ["服务商ID", "名称", "类型", "评分", "地区", "已完成", "已接受", "匹配数"],
              [[p.provider_id, p.name, p.kind, p.rating, p.region, p.completed, p.accepted, p.matches]
               for p in bundle.top_providers]),
    ]


def to_csv(bundle: ReportBundle) -> str:
    """All tables in one CSV: a ``# title`` line, the header and the rows per table, a blank line between.

    Starts with a UTF-8 BOM so that Excel opens the Chinese text correctly.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for table in tables(bundle):
        writer.writerow([f"# {table.title}"])
        writer.writerow(table.header)
        writer.writerows(table.rows)
        writer.writerow([])
    return out.getvalue()


def to_xlsx(bundle: ReportBundle) -> bytes:
    """One worksheet per table."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in tables(bundle):
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(["" if v is None else v for v in row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def chart_data(bundle: ReportBundle) -> dict[str, Any]:
    """What the page's charts draw (serialised into the page as JSON)."""
    regions = sorted({(r.key, r.label) for r in bundle.gap_by_region})
    categories = sorted({(r.category_code, r.category) for r in bundle.gap_by_region})
    region_index = {code: i for i, (code, _) in enumerate(regions)}
    category_index = {code: i for i, (code, _) in enumerate(categories)}
    return {
        "heat": {
            "regions": [label for _, label in regions],
            "categories": [label for _, label in categories],
            "cells": [[category_index[r.category_code], region_index[r.key], r.open_needs, r.providers, r.needs,
                       r.matched_needs] for r in bundle.gap_by_region],
        },
        "funnel": {
            "buckets": [b.bucket for b in bundle.funnel],
            "stages": {stage: [getattr(b, stage) for b in bundle.funnel]
                       for stage in ("posted", "matched", "accepted", "contracted", "completed", "rejected")},
        },
        "served_by_region": [[r.label, r.enterprises] for r in bundle.served if r.dimension == "REGION"],
        "served_by_size": [[r.label, r.enterprises] for r in bundle.served if r.dimension == "SIZE"],
        "top_providers": [[p.name, p.completed, p.accepted] for p in bundle.top_providers],
    }


def to_html(bundle: ReportBundle, *, standalone: bool, query: str = "", page: bool = False,
            industries_hint: list[dict[str, str]] | None = None) -> str:
    """The report page. ``standalone``: ECharts inlined, no forms or links (``gongxu report -o x.html``)."""
    echarts_inline = None
    if standalone:
        path = vendor.static_dir() / "vendor" / vendor.asset_url("echarts", "dist/echarts.min.js").removeprefix(
            vendor.STATIC_URL + "/")
        echarts_inline = path.read_text(encoding="utf-8") if path.is_file() else None
    template = environment.get_template("reports.html")
    served_total = sum(r.enterprises for r in bundle.served if r.dimension == "TOTAL")
    return template.render(bundle=bundle, tables=tables(bundle), charts=chart_data(bundle), page=page,
                           standalone=standalone, echarts_inline=echarts_inline,
                           echarts_url=vendor.asset_url("echarts", "dist/echarts.min.js"),
                           query=query, served_total=served_total, industries=industries_hint or [])
