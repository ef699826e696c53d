"""Duplicate judgement and the listing rules as plain functions (no database)."""

from __future__ import annotations

import pytest

from matching.curation.duplicates import Candidate, Verdict, judge, name_similarity, normalise_name
from matching.curation.policy import (
    DUPLICATE_SIMILARITY,
    REVIEW_SIMILARITY,
    Decision,
    ListingStatus,
    auto_list,
    next_listing,
    provider_tags,
)


def test_normalise_drops_legal_form_and_bracketed_region():
    assert normalise_name("四川（成都）精工机械有限公司") == "四川精工机械"
    assert normalise_name("成都精工机械股份有限公司") == normalise_name("成都精工机械有限公司")
    assert normalise_name("ＡＣＭＥ Precision Co., Ltd.") == "acmeprecision"


@pytest.mark.parametrize(("other", "verdict"), [
    ("成都精工机械股份有限公司", Verdict.DUPLICATE),  # the same name, another legal form
    ("成都市精工机械制造有限公司", Verdict.DUPLICATE),  # 0.8: the boundary belongs to DUPLICATE
    ("成都精工模具有限公司", Verdict.REVIEW),  # 0.67
    ("重庆长安汽车有限公司", Verdict.NEW),
])
def test_thresholds_in_the_same_region(other, verdict):
    candidate = Candidate("prv_1", other, None, same_region=True)
    judgement = judge("成都精工机械有限公司", None, [candidate])
    assert judgement.verdict is verdict
    if verdict is not Verdict.NEW:
        assert judgement.candidate == candidate
        assert "prv_1" in judgement.reason


@pytest.mark.parametrize(("left", "right"), [("重庆第二机床厂", "重庆第三机床厂"),
                                            ("链接对照1有限公司", "链接对照2有限公司")])
def test_names_that_differ_by_a_number_are_at_most_reviewed(left, right):
    judgement = judge(left, None, [Candidate("prv_1", right, None, same_region=True)])
    assert judgement.verdict is Verdict.REVIEW


@pytest.mark.parametrize(("left", "right"), [
    ("重庆渝瑞模具有限公司", "重庆渝恒模具有限责任公司"),  # 0.83 on the shared region and trade alone
    ("乌鲁木齐市腾飞智能科技股份有限公司", "乌鲁木齐市百川智能科技有限公司"),
    ("成都远航表面处理有限公司", "成都市博远表面处理有限公司"),
    ("成都精工机械有限公司", "成都精密机械有限公司"),
])
def test_another_zihao_in_the_same_region_and_trade_is_at_most_reviewed(left, right):
    """Region + 字号 + trade: another 字号 is another enterprise, however much of the name is shared
    (these pairs were refused as DUPLICATE, which refused 4–23 % of new registrations in the ingest bench)."""
    judgement = judge(left, None, [Candidate("prv_1", right, None, same_region=True)])
    assert judgement.verdict is Verdict.REVIEW


@pytest.mark.parametrize(("left", "right"), [
    ("成都市精工机械制造有限公司", "成都精工机械有限公司"),  # written longer: still the same one
    ("智远（成都）网络科技股份有限公司", "成都智远网络科技有限公司"),
    ("ACME Precision Co., Ltd.", "Acme Precison Ltd"),  # a letter left out
])
def test_a_name_written_longer_or_shorter_stays_a_duplicate(left, right):
    judgement = judge(left, None, [Candidate("prv_1", right, None, same_region=True)])
    assert judgement.verdict is Verdict.DUPLICATE


def test_similar_name_in_another_region_is_another_organisation():
    elsewhere = Candidate("prv_1", "成都精工机械有限公司", None, same_region=False)
    judgement = judge("成都精工机械有限公司", None, [elsewhere])
    assert judgement.verdict is Verdict.NEW


def test_same_credit_code_is_a_duplicate_whatever_the_name():
    judgement = judge("完全不同的名字", "91510100MA61234567",
                      [Candidate("prv_2", "别的公司", "91510100ma61234567", same_region=False)])
    assert judgement.verdict is Verdict.DUPLICATE
    assert judgement.candidate and judgement.candidate.id == "prv_2"


def test_threshold_order_and_similarity_bounds():
    assert 0 < REVIEW_SIMILARITY < DUPLICATE_SIMILARITY <= 1
    assert name_similarity("成都精工机械有限公司", "成都精工机械有限公司") == 1.0
    assert name_similarity("有限公司", "") == 0.0


def test_listing_transitions():
    assert next_listing(ListingStatus.APPLIED, Decision.LIST) is ListingStatus.LISTED
    assert next_listing(ListingStatus.APPLIED, Decision.REJECT) is ListingStatus.REJECTED
    assert next_listing(ListingStatus.LISTED, Decision.SUSPEND) is ListingStatus.SUSPENDED
    assert next_listing(ListingStatus.SUSPENDED, Decision.LIST) is ListingStatus.LISTED
    assert next_listing(ListingStatus.LISTED, Decision.LIST) is None
    assert next_listing(ListingStatus.REJECTED, Decision.LIST) is None
    assert next_listing(ListingStatus.APPLIED, Decision.SUSPEND) is None


def test_auto_list_defaults(monkeypatch):
    monkeypatch.delenv("GONGXU_AUTO_LIST", raising=False)
    monkeypatch.delenv("GONGXU_ENV", raising=False)
    assert auto_list() is True
    monkeypatch.setenv("GONGXU_ENV", "production")
    assert auto_list() is False
    monkeypatch.setenv("GONGXU_AUTO_LIST", "1")
    assert auto_list() is True
    monkeypatch.setenv("GONGXU_ENV", "development")
    monkeypatch.setenv("GONGXU_AUTO_LIST", "0")
    assert auto_list() is False


def test_provider_tags_keep_the_primary_kind_first():
    assert provider_tags("MANUFACTURER", ["PRODUCT_SUPPLIER", "MANUFACTURER"]) == ["MANUFACTURER", "PRODUCT_SUPPLIER"]
    assert provider_tags("SERVICE_PROVIDER", None) == ["SERVICE_PROVIDER"]
