"""What a Chongqing unit's values look like, per catalog item (issue 19.11): addresses with a
district, a street and a number; document numbers in the shape each kind of document has
(``渝市监处罚〔2025〕123号`` for a penalty decision, ``（2024）渝执123号`` for an enforcement
case); licence numbers shaped for their certificate; and the free fields of each item filled
with words that fit it. ``SHAPES`` gives the regular expression of every generated number, so
the tests check the demo against them. Nothing here is real data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

#: Chongqing's central districts with their administrative division codes (GB/T 2260).
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("渝中区", "500103"),
    ("大渡口区", "500104"),
    ("江北区", "500105"),
    ("沙坪坝区", "500106"),
    ("九龙坡区", "500107"),
    ("南岸区", "500108"),
    ("北碚区", "500109"),
    ("渝北区", "500112"),
    ("巴南区", "500113"),
)
STREETS: dict[str, tuple[str, ...]] = {
    "渝中区": ("民族路", "邹容路", "中山三路", "较场口", "大坪正街"),
    "大渡口区": ("春晖路", "松青路", "文体路"),
    "江北区": ("建新北路", "观音桥步行街", "北城天街", "洋河一路"),
    "沙坪坝区": ("三峡广场", "小龙坎正街", "汉渝路", "学城大道"),
    "九龙坡区": ("杨家坪正街", "科园一路", "谢家湾正街", "石桥铺渝州路"),
    "南岸区": ("南坪西路", "江南大道", "弹子石正街", "茶园路"),
    "北碚区": ("天生路", "云华路", "北温泉街"),
    "渝北区": ("金开大道", "龙湖路", "新牌坊一路", "双龙大道"),
    "巴南区": ("龙洲大道", "鱼洞正街", "巴滨路"),
}
#: Address: 重庆市 + district + street + number (+ floor or room, sometimes).
ADDRESS = r"^重庆市\w{2,4}区\w{2,8}\d{1,4}号(\d{1,2}楼|附\d{1,2}号)?$"

#: The short form of each demo unit in a document number (``渝市监处罚〔...〕``).
UNIT_PREFIX = {
    "重庆市市场监督管理局": "渝市监",
    "国家税务总局重庆市税务局": "渝税",
    "重庆市人力资源和社会保障局": "渝人社",
    "重庆市高级人民法院": "渝高法",
    "重庆市民政局": "渝民",
    "重庆市发展和改革委员会": "渝发改",
}

#: The document-number shape of each item's basis document, and the word in it.
_WORD = {
    "admin_penalty": "处罚",
    "admin_licence": "许可",
    "admin_inspection": "检查",
    "abnormal_operation_list": "经异",
    "tax_arrears": "税通",
    "social_insurance_arrears": "限缴",
    "false_materials": "处理",
    "commendation": "表彰",
    "pledge_breach": "违诺",
    "cq_government_pledge_breach": "政信",
}
_DOC = r"^渝\w{{0,3}}{word}〔\d{{4}}〕\d{{1,5}}号$"
#: Item code -> the regular expression its basis number matches.
SHAPES: dict[str, str] = {code: _DOC.format(word=w) for code, w in _WORD.items()}
SHAPES.update(
    {
        "court_judgment_defaulter": r"^（\d{4}）渝执\d{1,5}号$",
        "pledge_made": r"^CQCN\d{4}\d{8}$",
        "volunteering": r"^CQZY\d{4}\d{8}$",
        "charity_donation": r"^渝捐票\d{4}\d{8}$",
    }
)
#: The basis documents' titles, per item.
TITLES = {
    "admin_penalty": "行政处罚决定书",
    "admin_licence": "准予行政许可决定书",
    "abnormal_operation_list": "列入经营异常名录决定书",
    "tax_arrears": "税务事项通知书",
    "social_insurance_arrears": "社会保险费限期缴纳通知书",
    "false_materials": "行政处理决定书",
    "pledge_breach": "违背信用承诺认定书",
    "cq_government_pledge_breach": "政务失信认定书",
}

#: Licences: certificate name -> (number pattern, a function making one).
LICENCES: dict[str, tuple[str, Callable[[random.Random, str, int], str]]] = {
    "食品经营许可证": (
        r"^JY[123]500\d{3}\d{8}$",
        lambda rng, area, _y: f"JY{rng.choice('123')}{area}{rng.randint(0, 99_999_999):08d}",
    ),
    "药品经营许可证": (
        r"^渝[AB][AB]\d{7}$",
        lambda rng, _a, _y: (
            f"渝{rng.choice('AB')}{rng.choice('AB')}{rng.randint(0, 9_999_999):07d}"
        ),
    ),
    "安全生产许可证": (
        r"^（渝）JZ安许证字〔\d{4}〕\d{6}$",
        lambda rng, _a, y: f"（渝）JZ安许证字〔{y}〕{rng.randint(1, 999_999):06d}",
    ),
}


@dataclass(frozen=True)
class Place:
    district: str
    area_code: str
    address: str


def place(rng: random.Random) -> Place:
    """A Chongqing address: district, street, number, sometimes a floor."""
    district, code = rng.choice(DISTRICTS)
    street = rng.choice(STREETS[district])
    tail = rng.choice(("", "", f"{rng.randint(1, 30)}楼", f"附{rng.randint(1, 12)}号"))
    return Place(district, code, f"重庆市{district}{street}{rng.randint(1, 999)}号{tail}")


def basis_number(rng: random.Random, item: str, issuer: str, year: int) -> str:
    """The number of the item's basis document, shaped as ``SHAPES[item]``."""
    n = rng.randint(1, 99_999)
    if item == "court_judgment_defaulter":
        return f"（{year}）渝执{n}号"
    if item == "pledge_made":
        return f"CQCN{year}{rng.randint(0, 99_999_999):08d}"
    if item == "volunteering":
        return f"CQZY{year}{rng.randint(0, 99_999_999):08d}"
    if item == "charity_donation":
        return f"渝捐票{year}{rng.randint(0, 99_999_999):08d}"
    prefix = UNIT_PREFIX.get(issuer, "渝")
    return f"{prefix}{_WORD.get(item, '决')}〔{year}〕{n}号"


#: The remarks fields of the catalog items: left empty (random phrases read as nonsense there).
REMARKS = frozenset({"BZ", "remarks"})

#: USCC registration-management code + type (its first two characters) -> entity type.
ENTITY_TYPES = {
    "91": "有限责任公司（自然人投资或控股）",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "51": "社会团体",
    "52": "民办非企业单位",
    "12": "事业单位",
    "11": "机关",
}

_PENALTIES = (
    (
        "未取得食品经营许可从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
    ),
    ("经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条第一款第五项"),
    ("未按规定公示年度报告", "《企业信息公示暂行条例》第十八条"),
    ("发布虚假广告", "《中华人民共和国广告法》第五十五条第一款"),
)


def item_fields(
    rng: random.Random, item: str, uscc: str | None, issuer: str, on: date
) -> dict[str, str]:
    """Values that fit ``item``'s own fields (the fields with no role), by field name."""
    y = on.year
    if item == "registration_info":
        kind = ENTITY_TYPES.get((uscc or "")[:2], "有限责任公司（自然人投资或控股）")
        return {
            "entity_type": kind,
            "registered_address": place(rng).address,
            "registered_capital": f"{rng.choice((3, 10, 50, 100, 500, 1000)):.2f}",
            "registration_status": "存续（在营、开业、在册）",
            "business_scope": rng.choice(
                (
                    "食品销售；餐饮服务；日用百货销售。",
                    "建设工程施工；建筑材料销售。",
                    "农产品种植、销售；农业技术推广服务。",
                    "软件开发；信息技术咨询服务。",
                )
            ),
        }
    if item == "admin_penalty":
        conduct, law = rng.choice(_PENALTIES)
        fine = rng.choice((0.2, 0.5, 1, 2, 5))
        return {
            "CF_WFXW": conduct,
            "CF_SY": f"经查，当事人{conduct}，违反了{law.split('第')[0]}的规定。",
            "CF_YJ": law,
            "CF_CFLB": "罚款",
            "CF_NR": f"罚款人民币{fine * 10_000:.0f}元。",
            "CF_NR_FK": f"{fine:.2f}",
            "CF_NR_WFFF": "0.00",
            "CF_NR_ZKDX": "",
            "CF_XDR_ZZJG": "",
            "CF_XDR_SWDJ": "",
            "CF_XDR_SYDW": "",
            "CF_XDR_SHZZ": "",
        }
    if item == "admin_licence":
        name = rng.choice(tuple(LICENCES))
        number = LICENCES[name][1](rng, place(rng).area_code, y)
        return {
            "XK_XKZS": name,
            "XK_XKBH": number,
            "XK_NR": f"准予核发{name}。",
            "XK_ZT": "有效",
            "XK_XKLB": "普通",
            "XK_XDR_ZZJG": "",
            "XK_XDR_SWDJ": "",
            "XK_XDR_SYDW": "",
            "XK_XDR_SHZZ": "",
        }
    if item == "admin_inspection":
        return {
            "inspection_type": rng.choice(("“双随机、一公开”抽查", "日常监督检查", "专项检查")),
            "inspection_matter": rng.choice(
                ("食品经营者落实食品安全主体责任情况", "企业公示信息情况", "广告发布情况")
            ),
            "inspection_result": rng.choice(
                ("未发现问题", "发现问题，已责令限期整改", "发现问题，已按要求整改完毕")
            ),
        }
    if item == "abnormal_operation_list":
        return {
            "listing_reason": rng.choice(
                (
                    "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
                    "通过登记的住所或者经营场所无法联系",
                )
            ),
            "removal_authority": "",
        }
    if item == "tax_arrears":
        return {"tax_type": rng.choice(("增值税", "企业所得税", "城市维护建设税"))}
    if item == "social_insurance_arrears":
        return {"insurance_type": rng.choice(("企业职工基本养老保险", "失业保险", "工伤保险"))}
    if item == "court_judgment_defaulter":
        district, code = rng.choice(DISTRICTS)
        return {
            "enforcement_basis_number": f"（{y - 1}）渝{code[2:]}民初{rng.randint(1, 9999)}号",
            "enforcement_basis_issuer": f"重庆市{district}人民法院",
            "obligations": f"支付货款人民币{rng.randint(2, 90) * 1000}元及逾期付款利息。",
            "performance_status": "全部未履行",
            "dishonest_conduct": "有履行能力而拒不履行生效法律文书确定义务",
        }
    if item == "false_materials":
        return {
            "matter": "申请办理食品经营许可",
            "conduct_description": "申请时提交的经营场所证明材料与实际情况不符。",
            "handling_result": "不予许可，一年内不得再次申请。",
        }
    if item == "commendation":
        return {
            "honour_name": rng.choice(("重庆市诚信经营示范单位", "重庆市优秀志愿者")),
            "honour_level": "市级",
        }
    if item == "pledge_made":
        return {
            "pledge_type": rng.choice(("审批替代型", "主动型", "行业自律型")),
            "pledge_matter": "办理食品经营许可告知承诺",
            "pledge_content": "本单位承诺所提交材料真实有效，并按承诺期限完成整改。",
            "accepting_unit": issuer,
        }
    if item == "pledge_breach":
        return {
            "pledge_matter": "办理食品经营许可告知承诺",
            "breach_description": "未在承诺期限内补齐经营场所证明材料。",
            "handling_result": "撤销许可，记入违背信用承诺信息。",
        }
    if item == "volunteering":
        return {"volunteer_number": f"CQV{rng.randint(0, 9_999_999_999):010d}"}
    if item == "charity_donation":
        return {
            "donation_form": rng.choice(("货币", "物资")),
            "purpose": rng.choice(("支持受灾地区救助", "资助困难学生", "社区养老服务")),
        }
    if item == "cq_government_pledge_breach":
        district, _ = rng.choice(DISTRICTS)
        return {
            "pledge_or_contract": f"{district}招商引资合作协议",
            "breach_description": "未按协议约定期限兑现政策承诺。",
            "accountability_case": f"渝政信追〔{y}〕{rng.randint(1, 999)}号",
        }
    return {}
