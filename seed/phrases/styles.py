"""Text templates by style.

Templates are ``str.format`` strings over named slots; ``seed.sample`` fills the slots lazily
from the phrase banks (``{zh}`` a Chinese name of the capability, ``{detail}`` a clause about it,
``{items}`` typical parts, ``{en}`` an English name, …).  Styles:

* ``formal``    — company-profile / bid-document Chinese
* ``marketing`` — advertising copy with exclamation marks and stars
* ``informal``  — how a workshop owner types into WeChat
* ``terse``     — keyword lists separated by ；/ |
* ``english``   — English only
* ``mixed``     — Chinese sentences with English terms, or the reverse
"""

from __future__ import annotations

ZH_STYLES = ("formal", "marketing", "informal", "terse")
LANGUAGE_OF_STYLE = {
    "formal": "zh",
    "marketing": "zh",
    "informal": "zh",
    "terse": "zh",
    "english": "en",
    "mixed": "mixed",
}

# ---------------------------------------------------------------------------------------------
# Capability statements (a provider about one capability)
# ---------------------------------------------------------------------------------------------
STATEMENT: dict[str, tuple[str, ...]] = {
    "formal": (
        "本公司主营{zh}，{detail}，{detail2}。产品主要应用于{industry}等领域，典型产品包括{items}。",
        "我司具备{zh}能力：{detail}；{detail2}。",
        "可承接{items}等{zh}业务，{detail}。",
        "公司专业从事{zh}{years}年，{detail}，可为{industry}客户提供稳定服务。",
        "提供{zh}服务。{detail}。{detail2}。",
        "{zh}：{detail}，{detail2}，已通过客户现场审核。",
        "我单位在{zh}方面积累了丰富经验，{detail}，主要客户集中在{industry}。",
    ),
    "marketing": (
        "深耕{zh}{years}年！{detail}，品质过硬，交期有保障，欢迎新老客户来电洽谈！",
        "★{zh}★ {detail} ★ {detail2} ★ 诚信合作，共赢未来",
        "选择我们，就是选择专业的{zh}——{detail}，{detail2}！",
        "【{short}专家】{detail}，为{industry}企业降本增效！",
        "一站式{zh}服务商，{detail}，助力客户赢得市场！",
    ),
    "informal": (
        "我们厂主要做{short}，{detail}，量大量小都能接，价格好商量。",
        "做{short}的，{item}这些都做过，{detail}，有需要的老板联系。",
        "承接{short}，{detail}，欢迎来厂参观~",
        "做{short}十来年了，{item}、{item2}都有做，交期快",
        "{short}找我们就对了，{detail}，急单也可以插",
        "本厂{short}，{detail}。价格实在，有图纸发过来报价",
    ),
    "terse": (
        "业务范围：{zh}；{zh2}。{detail}。",
        "{zh} | {detail} | {items}",
        "{zh}，{detail}，{items}。",
        "主营：{zh}、{item}。{detail}",
    ),
    "english": (
        "We specialise in {en}. {Detail_en}. Typical work: {items_en}.",
        "{En} for {industry_en} customers; {detail_en}.",
        "Our team offers {en} ({detail_en}) and has served customers since {year}.",
        "{En} — {detail_en}. Enquiries welcome.",
        "Capabilities: {en}, {detail_en}. Main applications: {items_en}.",
    ),
    "mixed": (
        "专业{en} service，{detail}，typical parts: {items_en}。",
        "我们提供 {en}（{zh}），{detail_en}，欢迎咨询。",
        "{short} / {en}：{detail}。English OK.",
        "{zh} ({en}) — {detail}，lead time短，quality稳定。",
        "Focus on {en}，{detail}，服务{industry}客户。",
    ),
}

# Service providers speak a little differently (projects, not parts); styles not listed here are shared.
STATEMENT_SERVICE: dict[str, tuple[str, ...]] = {
    "formal": (
        "本公司主营{zh}，{detail}，{detail2}。服务客户主要来自{industry}等领域，典型项目包括{items}。",
        "我司具备{zh}能力：{detail}；{detail2}。",
        "可承接{items}等{zh}项目，{detail}。",
        "公司专业从事{zh}{years}年，{detail}，可为{industry}客户提供稳定服务。",
        "提供{zh}服务。{detail}。{detail2}。",
        "我单位在{zh}方面积累了丰富经验，{detail}，主要客户集中在{industry}。",
    ),
    "marketing": (
        "深耕{zh}{years}年！{detail}，响应迅速、服务专业，欢迎垂询！",
        "★{zh}★ {detail} ★ {detail2} ★ 专业团队，值得信赖",
        "选择我们，就是选择专业的{zh}——{detail}，{detail2}！",
        "【{short}专家】{detail}，为{industry}企业降本增效！",
        "一站式{zh}服务商，{detail}，助力客户赢得市场！",
    ),
    "informal": (
        "我们团队主要做{short}，{detail}，项目大小都能接，欢迎交流。",
        "做{short}的，{item}这些都做过，{detail}，有需要的老板联系。",
        "{short}找我们就对了，{detail}，可以先免费聊方案",
        "专业{short}团队，{detail}。价格实在，欢迎咨询",
    ),
}

# A provider about two related capabilities at once (ground truth: both codes).
STATEMENT_PAIR: dict[str, tuple[str, ...]] = {
    "formal": (
        "公司提供{zh_a}与{zh_b}一站式服务，{detail_a}，{detail_b}。",
        "主营{zh_a}、{zh_b}：{detail_a}；{detail_b}。",
    ),
    "marketing": ("{zh_a}+{zh_b}一条龙！{detail_a}，{detail_b}，省心省力！",),
    "informal": ("{short_a}和{short_b}都能做，{detail_a}，{detail_b}，可以一起报价。",),
    "terse": ("{zh_a}；{zh_b}。{detail_a}；{detail_b}。",),
    "english": ("One-stop {en_a} and {en_b}: {detail_en_a}; {detail_en_b}.",),
    "mixed": ("{zh_a} + {en_b}，{detail_a}，{detail_en_b}。",),
}

# ---------------------------------------------------------------------------------------------
# Provider and enterprise descriptions
# ---------------------------------------------------------------------------------------------
PROVIDER_DESCRIPTION: dict[str, tuple[str, ...]] = {
    "formal": (
        "{name}成立于{year}年，注册资本{capital}万元，位于{city}，现有员工{staff}人，主要从事{zh_list}，"
        "服务于{industries}等行业。",
        "{name}是一家专业从事{zh_list}的{kind_zh}，公司坐落于{city}，{certs_clause}坚持“质量第一、客户至上”的经营理念。",
        "公司位于{city}，成立于{year}年，占地面积{area}平方米，主营业务为{zh_list}。{certs_clause}",
    ),
    "marketing": (
        "深耕{zh_list}{years}年，{name}以匠心铸品质！{certs_clause}服务{industries}客户数百家，期待与您携手共赢！",
        "{name}——您身边的{zh_short}专家！{city}本地服务，响应快、品质稳、价格优！",
        "品质成就未来！{name}深耕{zh_list}多年，以领先的技术和完善的服务赢得{industries}客户的一致好评。",
    ),
    "informal": (
        "{city}的{kind_short}，主要做{zh_short}，{staff}个人，老板懂技术，欢迎来厂看看。",
        "我们是做{zh_short}的，在{city}，干了{years}年了，有活可以找我们。",
        "小厂一个，{zh_short}为主，{city}这边，交期靠谱，价格公道。",
    ),
    "terse": (
        "{kind_zh}｜{city}｜{zh_list}｜员工{staff}人",
        "主营：{zh_list}。地址：{city}。{certs_clause}",
    ),
    "english": (
        "Founded in {year} and based in {city_en}, {name_en} provides {en_list} "
        "to {industries_en} customers. "
        "{certs_en}",
        "{name_en} is a {kind_en} in {city_en} with {staff} employees, focused on {en_list}.",
        "Based in {city_en}, we offer {en_list}. {certs_en}",
    ),
    "mixed": (
        "{name}（{name_en}）位于{city}，主营{zh_list}，also provide {en_first} for overseas customers。",
        "{city}本地{kind_short}，focus on {en_first}，{staff}名员工，{certs_clause}",
        "We are a {kind_en} in {city_en}，主营{zh_list}，欢迎合作。",
    ),
}

ENTERPRISE_DESCRIPTION: dict[str, tuple[str, ...]] = {
    "formal": (
        "{name}成立于{year}年，位于{city}，属于{industry}行业，主要产品为{products}，现有员工{staff}人。",
        "公司是一家以{products}为主的{industry}企业，年产值约{revenue}万元，近年来订单增长较快。",
        "{name}专业生产{products}，产品配套{customers}，是{city}的专精特新中小企业。",
    ),
    "informal": (
        "做{products}的小厂，{city}，{staff}来号人，订单多的时候产能跟不上。",
        "我们是{city}一家{industry}企业，主要做{products}，很多工序要外协。",
    ),
    "english": (
        "{name_en} is an SME in {city_en} producing {products_en} ({industry_en}), with {staff} employees.",
        "Founded in {year}, we make {products_en} for {customers_en}.",
    ),
    "mixed": (
        "{city}的{industry}企业，主要产品{products}，looking for reliable suppliers。",
        "SME manufacturer of {products_en}，位于{city}，员工{staff}人。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Capacity offers
# ---------------------------------------------------------------------------------------------
OFFER_PROCESS_TEXT: dict[str, tuple[str, ...]] = {
    "zh": ("{zh}", "{zh}（{material}）", "{short}加工", "{material}{short}", "{zh}，{unit_hint}"),
    "en": ("{en}", "{En} ({material_en})", "{En}, {material_en}"),
    "mixed": ("{en}（{material}）", "{short} / {en}"),
}

OFFER_DESCRIPTION: dict[str, tuple[str, ...]] = {
    "zh": (
        "{from_zh}起有富余产能约{volume}{unit_zh}/月，可承接{items}等{zh}订单，{detail}。",
        "富余产能出租：{zh}，材料{material}，月产能{volume}{unit_zh}，交期{lead}天，起订量{moq}{unit_zh}。",
        "因订单调整，{zh}产线{from_zh}至{to_zh}有空档，{detail}，欢迎下单。",
        "共享产能：{short}，{material}，{volume}{unit_zh}/月，{detail}。",
        "{zh}产能开放，{detail}，{moq}{unit_zh}起做，{lead}天交货。",
    ),
    "en": (
        "Spare capacity of {volume} {unit_en} per month for {en} in {material_en} "
        "from {from_iso}; {detail_en}.",
        "{En} line available {from_iso} to {to_iso}: {volume} {unit_en}/month, "
        "MOQ {moq}, lead time {lead} days.",
    ),
    "mixed": (
        "{zh} spare capacity {volume} {unit_en}/month，material {material}，lead time {lead}天。",
        "Open capacity：{short}，{volume}{unit_zh}/月，{detail_en}。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Needs: (title, description) pairs
# ---------------------------------------------------------------------------------------------
CAPACITY_NEED: dict[str, tuple[tuple[str, str], ...]] = {
    "formal": (
        (
            "关于采购{material}{item}的询价函",
            "我公司因生产需要，现就{item}（材质：{material}）{zh}外协进行询价。数量：{qty}{unit_zh}；"
            "交货期：{deadline_zh}前。{cert_zh}{region_zh}请有意向的供应商于{reply_zh}前报价。",
        ),
        (
            "{item}{zh}外协加工询价",
            "需求内容：{zh}，产品为{item}，材料{material}，数量{qty}{unit_zh}，要求{deadline_zh}前交付。{cert_zh}{region_zh}"
            "预算{budget_zh}。",
        ),
        (
            "{company_short}{item}委外加工采购公告",
            "为满足{year}年生产需要，现公开征集{zh}供应商。产品：{item}；材质：{material}；年需求量约{qty}{unit_zh}。"
            "{cert_zh}{region_zh}",
        ),
        (
            "{item}{zh}加工需求",
            "现有一批{item}需要{zh}，数量约{qty}{unit_zh}，{deadline_zh}前交货。{cert_zh}{region_zh}预算{budget_zh}。",
        ),
    ),
    "informal": (
        (
            "找{short}厂家，{item}{qty}{unit_zh}",
            "{item}，{qty}{unit_zh}，{deadline_informal}。{region_informal}{cert_informal}能做的联系我。",
        ),
        (
            "急找一家能做{short}的厂，量不大",
            "大概{qty}{unit_zh}，{material}的，{region_informal}{deadline_informal}，有的私聊。{cert_informal}",
        ),
        (
            "求{short}加工，{item}",
            "{item}要{qty}{unit_zh}左右，{material}，图纸有，{deadline_informal}。{region_informal}{cert_informal}",
        ),
        (
            "{item}找人做，{qty}{unit_zh}",
            "有没有做{short}的厂家？{material}材质，{deadline_informal}，价格合适长期合作。{region_informal}"
            "{cert_informal}",
        ),
    ),
    "english": (
        (
            "Looking for {cert_title}{en} supplier",
            "We need {qty} {unit_en} of {item_en} in {material_en}, delivered by {deadline_iso}. "
            "{cert_en}{region_en}"
            "Budget: {budget_en}. Please send your quotation.",
        ),
        (
            "Need {en} capacity: {qty} {unit_en}",
            "Looking for {en} capacity for {item_en}, {qty} {unit_en}, by {deadline_iso}. "
            "{cert_en}{region_en}",
        ),
        (
            "RFQ: {en} for {item_en}",
            "Request for quotation: {qty} {unit_en} of {item_en} ({material_en}), {en}. "
            "Deadline {deadline_iso}. "
            "{cert_en}{region_en}",
        ),
    ),
    "mixed": (
        (
            "求{en} supplier：{item}",
            "需要{qty}{unit_zh} {item}，material {material_en}，deadline {deadline_iso}。"
            "{cert_zh}{region_zh}",
        ),
        (
            "{zh} / {en}，{qty}{unit_zh}",
            "{item}需要{en}，数量{qty}{unit_zh}，deadline {deadline_iso}。{cert_en}{region_zh}",
        ),
        (
            "{short} capacity needed，{qty}{unit_zh}",
            "Looking for {en}，{item}，材质{material}，{deadline_zh}前交货。{cert_en}{region_zh}",
        ),
    ),
}

SERVICE_NEED: dict[str, tuple[tuple[str, str], ...]] = {
    "formal": (
        (
            "关于{zh}服务的采购需求",
            "为提升企业管理水平，我公司拟开展{zh}项目，主要内容包括{items}。{cert_zh}{region_zh}项目预算{budget_zh}，"
            "计划于{deadline_zh}前完成。",
        ),
        (
            "{company_short}{zh}项目招标公告",
            "{company_short}现就{zh}项目公开征集服务商。服务内容：{items}。{cert_zh}{region_zh}"
            "投标截止时间：{deadline_zh}。",
        ),
        (
            "{zh}服务商遴选",
            "我司为{industry}企业，现需{zh}服务，重点解决{item}问题。{cert_zh}{region_zh}预算范围{budget_zh}。",
        ),
    ),
    "informal": (
        (
            "想找{short}的服务商，有没有推荐",
            "我们是做{industry}的小厂，想搞{item}，预算不多，{deadline_informal}。{region_informal}{cert_informal}",
        ),
        (
            "有没有靠谱的{short}团队？",
            "厂里想弄{item}，之前没做过，想找个懂行的{short}团队聊聊。{region_informal}{cert_informal}",
        ),
        ("求{short}，急", "{item}这块一直搞不定，需要{short}支持，{deadline_informal}。{region_informal}"),
    ),
    "english": (
        (
            "Seeking {en} partner",
            "We are a {industry_en} company seeking {en} ({items_en}). {cert_en}{region_en}"
            "Budget {budget_en}; "
            "to be completed by {deadline_iso}.",
        ),
        (
            "Request for proposal: {en}",
            "Scope: {en}, including {items_en}. {cert_en}{region_en}Proposals due {deadline_iso}.",
        ),
    ),
    "mixed": (
        (
            "寻找{en}服务商",
            "我们需要{zh}（{en}），scope包括{items}，budget {budget_en}，{deadline_zh}前完成。"
            "{cert_zh}{region_zh}",
        ),
        (
            "Need {en} support，{short}项目",
            "{industry}企业，{item}，looking for {en} vendor。{region_zh}{cert_en}",
        ),
    ),
}
