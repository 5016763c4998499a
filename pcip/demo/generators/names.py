"""Synthetic Chinese person and company names for demo and test data.

Deterministic given the ``rng``. Company names follow the registered-name pattern of the
enterprise name registration rules: administrative division + trade name + industry +
organisational form (e.g. 重庆市渝北区鑫源商贸有限公司); districts come from the GB/T 2260 data
in :mod:`pcip.identity.regions`, so they are real and current.
"""

from __future__ import annotations

import random
from functools import cache
from itertools import accumulate

from pcip.identity.regions import RegionInfo, all_regions

__all__ = ["random_company_name", "random_person_name"]

# Common surnames with rough relative frequencies (most frequent first), then compound surnames.
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 72), ("李", 71), ("张", 68), ("刘", 55), ("陈", 47), ("杨", 33), ("黄", 25),
    ("赵", 21), ("吴", 20), ("周", 19), ("徐", 15), ("孙", 14), ("马", 13), ("朱", 12),
    ("胡", 12), ("郭", 11), ("何", 11), ("林", 10), ("罗", 10), ("高", 10), ("郑", 9),
    ("梁", 9), ("谢", 8), ("宋", 7), ("唐", 7), ("许", 7), ("韩", 6), ("冯", 6), ("邓", 6),
    ("曹", 6), ("彭", 6), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 5), ("潘", 5),
    ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 4),
    ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("沈", 4), ("姚", 3), ("卢", 3), ("姜", 3),
    ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3),
    ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 2), ("邹", 2),
    ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2),
    ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2),
    ("覃", 1), ("武", 1), ("戴", 1), ("莫", 1), ("孔", 1), ("向", 1), ("冉", 1), ("牟", 1),
    ("欧阳", 1), ("司马", 1), ("上官", 1), ("诸葛", 1), ("东方", 1), ("皇甫", 1),
    ("令狐", 1), ("慕容", 1),
)  # fmt: skip
_SURNAME_VALUES = tuple(s for s, _ in _SURNAMES)
_SURNAME_CUMULATIVE = tuple(accumulate(w for _, w in _SURNAMES))

_GIVEN_CHARS = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉飞"
    "建国志文斌宇浩然子轩梓涵欣怡雨萱俊杰思远嘉欣晨阳一鸣佳琪诗雅博文天宇雪梅海波"
    "春林秋云冬梅晓东晓燕丹宁倩颖琳晶婷雯瑶昊睿泽航铭哲瀚翔宏毅晴悦萌蕾蓉薇莉"
)
_TWO_CHAR_GIVEN_SHARE = 0.7

_TRADE_CHARS = tuple("鑫源恒泰华盛达利丰祥瑞隆兴宏昌福金鼎安康荣顺通诚信德弘嘉汇博远创新宇腾骏朗禾")
_INDUSTRIES = (
    "商贸", "科技", "建筑工程", "物流", "餐饮管理", "信息技术", "房地产开发", "机械设备",
    "农业开发", "文化传媒", "环保科技", "医药", "汽车销售", "建材", "食品", "电子商务",
    "装饰工程", "劳务", "物业管理", "实业",
)  # fmt: skip
_FORMS: tuple[tuple[str, int], ...] = (
    ("有限公司", 60),
    ("有限责任公司", 15),
    ("股份有限公司", 7),
)
_INDIVIDUAL_SHARE = 0.15
_INDIVIDUAL_GOODS = ("百货", "五金", "副食", "建材", "餐饮", "汽修", "日杂", "烟酒", "服装")
_INDIVIDUAL_FORMS = ("经营部", "商行", "店", "服务部", "门市部")
_DISTRICT_SHARE = 0.6

_GROUPING_NAMES = frozenset({"市辖区", "县", "市", "省直辖县级行政单位", "省直辖行政单位"})


def random_person_name(rng: random.Random) -> str:
    """A plausible Chinese name: a weighted common surname and a 1- or 2-character given name."""
    surname = rng.choices(_SURNAME_VALUES, cum_weights=_SURNAME_CUMULATIVE)[0]
    length = 2 if rng.random() < _TWO_CHAR_GIVEN_SHARE else 1
    return surname + "".join(rng.choice(_GIVEN_CHARS) for _ in range(length))


def _own_name(info: RegionInfo) -> str:
    return info.history[-1].name if info.history else ""


def _find_area(region_name: str) -> RegionInfo | None:
    """The first current province- or prefecture-level code whose name starts with the name."""
    for info in all_regions():
        current = info.code.endswith("00") and info.last_year is None
        if current and _own_name(info).startswith(region_name):
            return info
    return None


@cache
def _area_codes(region_name: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The full area name (``重庆市``), its GB/T 2260 code (``500000``, "" when unknown) and
    its current districts as (name, code) (``("渝北区", "500112")``)."""
    area = _find_area(region_name)
    if area is None:
        return region_name, "", ()
    own = _own_name(area)
    prefix = area.code[:2] if area.code.endswith("0000") else area.code[:4]
    districts = tuple(
        (info.name.split(own, 1)[1], info.code)
        for info in all_regions()
        if info.code.startswith(prefix)
        and info.code[4:] != "00"
        and info.last_year is None
        and _own_name(info) not in _GROUPING_NAMES
        and own in info.name
    )
    return own, area.code, districts


def _area(region_name: str) -> tuple[str, tuple[str, ...]]:
    """The full area name (``重庆市``) and its current districts' names below it (``渝北区``)."""
    own, _, districts = _area_codes(region_name)
    return own, tuple(name for name, _ in districts)


def _trade_name(rng: random.Random) -> str:
    first, second = rng.sample(_TRADE_CHARS, 2)
    return first + second


def random_company_name(rng: random.Random, region_name: str = "重庆") -> str:
    """A plausible registered name, e.g. 重庆市渝北区鑫源商贸有限公司 or 渝北区鑫源百货经营部.

    ``region_name`` is matched against current GB/T 2260 province and prefecture names
    (``重庆`` -> 重庆市 with its districts); an unmatched name is used as given, without district.
    """
    area, districts = _area(region_name)
    district = rng.choice(districts) if districts and rng.random() < _DISTRICT_SHARE else ""
    trade = _trade_name(rng)
    if rng.random() < _INDIVIDUAL_SHARE:
        # Individual businesses register under a short name at county level (…经营部).
        place = district or area
        return place + trade + rng.choice(_INDIVIDUAL_GOODS) + rng.choice(_INDIVIDUAL_FORMS)
    form = rng.choices([f for f, _ in _FORMS], weights=[w for _, w in _FORMS])[0]
    return area + district + trade + rng.choice(_INDUSTRIES) + form


#: The demo's organisations: each kind's USCC registration authority and type code (GB
#: 32100-2015) with the names that kind registers under, so that a 有限公司 is a company
#: (91), a 经营部 an individual business (92), a 合作社 a farmers' cooperative (93), a 协会
#: a social organisation (51), a 局 a government organ (11); weights as in the demo's mix.
ORGANISATION_KINDS: tuple[tuple[str, int], ...] = (
    ("91", 70),
    ("92", 12),
    ("93", 5),
    ("51", 5),
    ("12", 4),
    ("11", 4),
)
_ASSOCIATIONS = ("商会", "行业协会", "促进会", "联合会")
_INSTITUTIONS = ("公共资源交易中心", "检验检测中心", "职业技能鉴定中心", "规划设计研究院")
_ORGANS = ("市场监督管理局", "生态环境局", "交通运输局", "住房和城乡建设委员会", "税务局")
_COOP_GOODS = ("柑橘", "茶叶", "生猪", "蔬菜", "中药材", "花椒")


def random_organisation(rng: random.Random, region_name: str = "重庆") -> tuple[str, str, str]:
    """(USCC type code, a name that kind registers under, the GB/T 2260 code of the place the
    name gives), e.g. ("92", "渝北区鑫源百货经营部", "500112"). The USCC drawn for it takes
    that code as its registration authority's region (GB 32100-2015 characters 3-8), so a
    county's shop does not carry a district's code (issue 19.11)."""
    code = rng.choices([c for c, _ in ORGANISATION_KINDS], [w for _, w in ORGANISATION_KINDS])[0]
    area, area_code, districts = _area_codes(region_name)
    district, district_code = rng.choice(districts) if districts else ("", "")
    trade = _trade_name(rng)
    if code == "91":
        form = rng.choices([f for f, _ in _FORMS], weights=[w for _, w in _FORMS])[0]
        place = district if rng.random() < _DISTRICT_SHARE else ""
        name = area + place + trade + rng.choice(_INDUSTRIES) + form
        return code, name, district_code if place else area_code
    if code == "92":
        goods = rng.choice(_INDIVIDUAL_GOODS) + rng.choice(_INDIVIDUAL_FORMS)
        return code, (district or area) + trade + goods, district_code or area_code
    if code == "93":
        name = (district or area) + trade + rng.choice(_COOP_GOODS) + "种养殖专业合作社"
        return code, name, district_code or area_code
    if code == "51":
        name = area + district + rng.choice(_INDUSTRIES) + rng.choice(_ASSOCIATIONS)
        return code, name, district_code or area_code
    if code == "12":
        return code, area + district + rng.choice(_INSTITUTIONS), district_code or area_code
    return code, area + district + rng.choice(_ORGANS), district_code or area_code
