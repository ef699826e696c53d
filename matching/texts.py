"""The text each kind of node is embedded from — one definition for the API, the loaders and the eval.

Needs are encoded as e5 queries, statements and offers as passages (see matching/embedding.py).

A formal RFQ buries one line of substance under boilerplate (项目概况/技术要求/资质要求/交付要求/报价须知,
payment terms, contact lines, "本询价不构成要约"): embedded whole, the boilerplate decides which providers look
similar (every RFQ resembles every other RFQ). :func:`substance` removes it; the need's embedding text
(:func:`need_text`) and its full-text query (``matching.engine``) use it, the stored title and description stay
as typed.
"""

from __future__ import annotations

import re

# Section headings of RFQs / tenders: "一、项目概况：", "2. 技术要求:", "【资质要求】", "Delivery requirements:".
_HEADING = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)]?[、.．:：]?\s*|[【\[])?"
    r"(?P<name>项目(?:概况|背景|简介|名称|说明)|采购(?:内容|需求|说明|范围)|需求(?:说明|概述|描述)|"
    r"技术(?:要求|规格|参数|需求)|服务(?:要求|内容|范围)|资质(?:要求|条件)|供应商资格|投标人资格(?:要求)?|"
    r"交付(?:要求|时间|地点|周期)|交货(?:要求|期|时间|地点)|质量要求|验收(?:标准|要求|方式)|"
    r"报价(?:须知|要求|说明|方式)|付款(?:方式|条件)|结算方式|商务(?:要求|条款)|投标须知|其他(?:说明|要求|事项)?|"
    r"联系(?:人|方式|电话)|Project overview|Scope|Technical requirements|Qualifications?|Delivery|"
    r"Payment(?: terms)?|Quotation|Contact)"
    r"\s*[】\]]?\s*[:：]?\s*", re.I)
# Sections that never say what is needed: commercial terms and contact details.
_DROP_SECTIONS = re.compile(r"^(?:报价|付款|结算|商务|投标须知|其他|联系|Payment|Quotation|Contact)", re.I)
# Stock clauses of any section (a clause containing one of these is boilerplate as a whole).
_STOCK = re.compile(
    r"报价(?:单|含税|有效期|截止)|含税|有效期\s*\d|付款方式|电汇|承兑|截止日|营业执照|扫描件|逾期不予受理|"
    r"不构成要约|最终解释权|联系人|联系电话|手机[:：]|邮箱|e-?mail|tel[:：]|发送至|欢迎(?:来电|咨询|报价)|"
    r"请(?:于|在).{0,12}前.{0,6}(?:报价|回复|提交)|现(?:就|对).{0,40}(?:询价|招标|采购)(?:如下)?$|特此(?:询价|公告)",
    re.I)
_CLAUSES = re.compile(r"(?<=[。；;！!？?\n])")


def substance(text: str | None) -> str:
    """``text`` without RFQ boilerplate: section headings, commercial/contact sections and stock clauses.

    A text without any of it comes back unchanged (apart from surrounding whitespace); if everything would
    go, the original is kept (better an RFQ-shaped query than none).
    """
    if not text or not text.strip():
        return ""
    kept: list[str] = []
    changed = False
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and heading.group("name"):
            changed = True
            if _DROP_SECTIONS.match(heading.group("name")):
                continue
            line = line[heading.end():]
        for clause in _CLAUSES.split(line):
            if clause.strip() and _STOCK.search(clause):
                changed = True
                continue
            if clause.strip():
                kept.append(clause.strip())
    if not changed:
        return text.strip()
    result = "".join(c if c[-1] in "。；;！!？?" else c + "\n" for c in kept).strip()
    return result or text.strip()


def _join(*parts: str | None) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def need_text(title: str | None, description: str | None) -> str:
    """What a need is embedded (and linked) from: its title and the substance of its description."""
    return _join(title, substance(description))


def offer_text(process_text: str | None, description: str | None) -> str:
    return _join(process_text, description)


def statement_text(text: str | None) -> str:
    return _join(text)
