"""``/reports``: the staff report page, its downloads, and a login form; ``/static``: local front-end files.

Who may look: a STAFF token, given either as ``Authorization: Bearer`` or through the login form.
The form keeps the token in a signed, HttpOnly, SameSite=Strict session cookie — only the token's
SHA-256 (what the database stores), never the token itself and never in the URL — and every
request looks the token up again, so revoking it ends the session. Without a token: 401 and the
login form; with a token of another role: 403. A region-scoped STAFF token sees its region only.

The session key is ``GONGXU_SESSION_SECRET`` (set it in production so sessions survive a restart
and work across workers); without it, a random key per process.
"""

from __future__ import annotations

import html
import os
import secrets
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.auth import InvalidToken, viewer_for
from api.web import vendor
from api.web.exports import environment, to_csv, to_html, to_xlsx
from graph.repositories import tokens
from graph.viewer import Viewer
from matching.reports import MAX_TERM_LENGTH, ReportFilter, ReportFilterError, StaffReports

COOKIE = "gongxu_staff"
SESSION_SECONDS = 8 * 3600
MAX_FORM_BYTES = 4096
MAX_QUERY_VALUE = 500

_serializer = URLSafeTimedSerializer(os.environ.get("GONGXU_SESSION_SECRET") or secrets.token_hex(32),
                                     salt="gongxu-staff-session")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _login_page(status: int, error: str | None = None) -> HTMLResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return HTMLResponse(environment.get_template("login.html").render(error=error), status_code=status,
                        headers=headers)


async def _viewer_from_hash(state: dict[str, Any], token_hash: str) -> Viewer | None:
    row = await tokens.find_active(state["services"].db, token_hash)
    if row is None:
        return None
    return Viewer(role=row["role"], org_id=row["org_id"], token_id=row["id"], region=row.get("region"))


async def staff_viewer(state: dict[str, Any], request: Request) -> Viewer:
    """The STAFF viewer of a request (header or session cookie), else :class:`Refused` 401/403."""
    if request.headers.get("authorization"):
        try:
            viewer = await viewer_for(state["services"].db, request.headers["authorization"])
        except InvalidToken as exc:
            raise Refused(401, str(exc)) from exc
    else:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            raise Refused(401, "请先登录")
        try:
            token_hash = _serializer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature as exc:
            raise Refused(401, "会话已失效，请重新登录") from exc
        found = await _viewer_from_hash(state, str(token_hash))
        if found is None:
            raise Refused(401, "令牌已撤销或不存在，请重新登录")
        viewer = found
    if not viewer.authenticated:
        raise Refused(401, "请先登录")
    if not viewer.is_staff:
        raise Refused(403, "报表仅向平台工作人员（STAFF 令牌）开放")
    return viewer


def _terms(value: str | None) -> list[str]:
    return [t.strip() for t in (value or "").replace("，", ",").split(",") if t.strip()]


def report_filter(request: Request, today: date | None = None) -> ReportFilter:
    """The filter from the query string (``from``, ``to``, ``region``, ``industry``, ``bucket``)."""
    params = request.query_params
    if any(len(v) > MAX_QUERY_VALUE for v in params.values()):
        raise ReportFilterError("query", "query parameter too long")
    default = ReportFilter.default(today)
    try:
        date_from = date.fromisoformat(params["from"]) if params.get("from") else default.date_from
        date_to = date.fromisoformat(params["to"]) if params.get("to") else default.date_to
    except ValueError as exc:
        raise ReportFilterError("from", "dates are YYYY-MM-DD") from exc
    regions, industries = _terms(params.get("region")), _terms(params.get("industry"))
    if any(len(t) > MAX_TERM_LENGTH for t in regions + industries):
        raise ReportFilterError("region", "term too long")
    return ReportFilter(date_from=date_from, date_to=date_to, regions=regions, industries=industries,
                        bucket=params.get("bucket") or "month")


def _query(flt: ReportFilter) -> str:
    return urlencode({"from": flt.date_from.isoformat(), "to": flt.date_to.isoformat(),
                      "region": ",".join(flt.regions), "industry": ",".join(flt.industries), "bucket": flt.bucket})


def routes(state: dict[str, Any]) -> list[BaseRoute]:
    """The staff pages and ``/static`` (mounted by ``api.app.create_app``)."""

    async def bundle_for(request: Request) -> tuple[Any, ReportFilter]:
        viewer = await staff_viewer(state, request)
        flt = report_filter(request)
        return await StaffReports(state["services"].db, scope=viewer.region).bundle(flt), flt

    async def guarded(request: Request, render: Any) -> Response:
        try:
            bundle, flt = await bundle_for(request)
        except Refused as exc:
            return _login_page(exc.status, str(exc))
        except ReportFilterError as exc:
            return HTMLResponse(f"<p>筛选条件有误（{exc.field}）：{_escape(str(exc))}</p>"
                                '<p><a href="/reports">返回</a></p>', status_code=400)
        return render(bundle, flt)

    async def page(request: Request) -> Response:
        return await guarded(request, lambda b, flt: HTMLResponse(
            to_html(b, standalone=False, page=True, query=_query(flt))))

    async def export_csv(request: Request) -> Response:
        return await guarded(request, lambda b, flt: Response(
            to_csv(b), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="gongxu-report-{flt.date_to}.csv"'}))

    async def export_xlsx(request: Request) -> Response:
        return await guarded(request, lambda b, flt: Response(
            to_xlsx(b), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="gongxu-report-{flt.date_to}.xlsx"'}))

    async def export_html(request: Request) -> Response:
        return await guarded(request, lambda b, flt: HTMLResponse(
            to_html(b, standalone=True), headers={
                "Content-Disposition": f'attachment; filename="gongxu-report-{flt.date_to}.html"'}))

    async def login_form(_request: Request) -> Response:
        return _login_page(200)

    async def login(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return _login_page(400, "表单过大")
        token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0].strip()
        if not token:
            return _login_page(401, "请输入令牌")
        token_hash = tokens.hash_secret(token)
        viewer = await _viewer_from_hash(state, token_hash)
        if viewer is None:
            return _login_page(401, "令牌无效或已撤销")
        if not viewer.is_staff:
            return _login_page(403, "报表仅向平台工作人员（STAFF 令牌）开放")
        response = RedirectResponse("/reports", status_code=303)
        response.set_cookie(COOKIE, _serializer.dumps(token_hash), max_age=SESSION_SECONDS, path="/reports",
                            httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    async def logout(_request: Request) -> Response:
        response = RedirectResponse("/reports/login", status_code=303)
        response.delete_cookie(COOKIE, path="/reports")
        return response

    return [
        Route("/reports", page, methods=["GET"]),
        Route("/reports/login", login_form, methods=["GET"]),
        Route("/reports/login", login, methods=["POST"]),
        Route("/reports/logout", logout, methods=["POST"]),
        Route("/reports/export.csv", export_csv, methods=["GET"]),
        Route("/reports/export.xlsx", export_xlsx, methods=["GET"]),
        Route("/reports/export.html", export_html, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=vendor.static_dir(), check_dir=False), name="static"),
    ]


def _escape(text: str) -> str:
    return html.escape(text)

