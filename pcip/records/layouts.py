"""Columns of providing units' real files read as the catalog item's fields (Art. 20, 23).

Many unit systems still export the **version-1** double-publicity layout (2015-2016), whose
column names differ from the current layout (docs/facts.md#double-publicity). Each version-1 name
below is read as the current field it became; each such column is reported once in the batch's
warnings, and so is every column that is neither a field of the item nor a known version-1
name (Art. 23: fields outside the schema are not stored, and the unit is told which).

Sources for the version-1 names and meanings (exports and importers of unit systems found in
public code, which agree with each other; the official version-1 text was not found):

* penalty (CF_*): ``CF_WSH, CF_CFMC, CF_CFLB1, CF_CFLB2, CF_SY, CF_YJ, CF_XDR_MC,
  CF_XDR_SHXYM, CF_XDR_ZDM, CF_XDR_GSDJ, CF_XDR_SWDJ, CF_XDR_SFZ, CF_FR, CF_JG, CF_JDRQ,
  CF_XZJG, CF_ZT, DFBM, SJC, BZ`` with the comments "行政相对人代码_2(组织机构代码)",
  "行政相对人代码_3(工商登记码)", "行政相对人代码_5(居民身份证号)", "法定代表人姓名",
  "处罚结果", "处罚机关", "处罚类别1（0=警告；1=罚款；...）", "地方编码" and a data timestamp
  (e.g. ``PenaltyWHBean`` and ``PeopleCF`` entity classes, and a sharing-library query
  ``zzjgdm as CF_XDR_ZDM, gszch as CF_XDR_GSDJ, cfzl as CF_CFLB1, cfjg as CF_JG,
  fddbrsfzh as CF_XDR_SFZ, cfjgmc as CF_XZJG, dfbm as DFBM, gxsjc as SJC``);
* licence (XK_*): ``XK_WSH, XK_XMMC, XK_SPLB, XK_NR, XK_XDR, XK_XDR_SHXYM, XK_XDR_ZDM,
  XK_XDR_GSDJ, XK_XDR_SWDJ, XK_XDR_SFZ, XK_FR, XK_JDRQ, XK_JZQ, XK_XZJG, XK_ZT, DFBM, SJC, BZ``
  (``LicensingWHBean``; the same sharing-library query: ``xmmc as XK_XMMC, splb as XK_SPLB,
  xkjzq as XK_JZQ, xkjg as XK_XZJG``).

What follows from the version-1 layout having no column for something the current one needs:

* party category (``*_XDR_LB``, required now): derived from the identifiers when absent: a
  USCC means an organisation (an individual business when it starts with 92, GB 32100),
  otherwise an identity card number means a natural person;
* ``*_XDR_SFZ`` is the party's identity card number for a natural person; for an
  organisation unit systems filled it with the legal representative's number (``fddbrsfzh as
  CF_XDR_SFZ`` above), so it is read as ``*_FR_ZJHM`` then; the document type is 身份证;
* ``CF_WFXW`` (violation type, required now): version 1 had only ``CF_SY`` 处罚事由 (the
  cause), which is read as both the violation type and the facts;
* ``CF_CFLB2`` (a second penalty category) is joined to ``CF_CFLB1`` with "；";
* ``XK_YXQZ`` (valid from, required now): the licence decision date when absent;
* ``DFBM`` (locality code) and ``SJC`` (the exporting system's timestamp) describe the export,
  not the record: not stored, and said so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pcip.catalog.schemas import ItemSpec

#: version-1 name -> current field, per layout.
LEGACY_COLUMNS: dict[str, dict[str, str]] = {
    "cf": {
        "CF_CFLB1": "CF_CFLB",
        "CF_XDR_ZDM": "CF_XDR_ZZJG",
        "CF_XDR_GSDJ": "CF_XDR_GSZC",
        "CF_XDR_SFZ": "CF_XDR_ZJHM",
        "CF_FR": "CF_FRDB",
        "CF_JG": "CF_NR",
        "CF_XZJG": "CF_CFJG",
    },
    "xk": {
        "XK_XMMC": "XK_XKWS",
        "XK_SPLB": "XK_XKLB",
        "XK_XDR": "XK_XDR_MC",
        "XK_XDR_ZDM": "XK_XDR_ZZJG",
        "XK_XDR_GSDJ": "XK_XDR_GSZC",
        "XK_XDR_SFZ": "XK_XDR_ZJHM",
        "XK_FR": "XK_FRDB",
        "XK_JZQ": "XK_YXQZI",
        "XK_XZJG": "XK_XKJG",
    },
}
#: Other names unit systems give extension fields (read silently: the same meaning): the
#: severity column that unit exports call CF_SXYZCD 失信严重程度 (seen in public exchange code).
ALIASES: dict[str, dict[str, str]] = {"cf": {"CF_SXYZCD": "severity"}, "xk": {}}
#: Version-1 columns read together with another one (see the module docstring).
_JOINED = {"cf": {"CF_CFLB2": "CF_CFLB1"}, "xk": {}}
#: Version-1 columns that describe the export, not the record.
EXPORT_METADATA = {"DFBM": "地方编码 (locality code)", "SJC": "数据更新时间戳 (export timestamp)"}

_ORG = "法人及非法人组织"
_PERSON = "自然人"
_INDIVIDUAL_BUSINESS = "个体工商户"


@dataclass
class ColumnReport:
    """What was done with the columns of a batch's rows, counted per column."""

    legacy: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    def warnings(self, spec: ItemSpec) -> list[str]:
        mapping = {
            **LEGACY_COLUMNS.get(spec.layout or "", {}),
            **_JOINED.get(spec.layout or "", {}),
        }
        out = []
        for name, n in sorted(self.legacy.items()):
            target = mapping[name]
            target = LEGACY_COLUMNS.get(spec.layout or "", {}).get(target, target)
            out.append(
                f"column {name} is a version-1 name: read as {target} ({_rows(n)}); "
                "please export the current layout"
            )
        for name, n in sorted(self.metadata.items()):
            out.append(
                f"column {name} ({EXPORT_METADATA[name]}) of the version-1 layout describes "
                f"the export, not the record: not stored ({_rows(n)})"
            )
        for name, n in sorted(self.unknown.items()):
            out.append(
                f"column {name} is not a field of item {spec.code}: not stored "
                f"({_rows(n)}; Art. 23)"
            )
        return out


def _rows(n: int) -> str:
    return f"{n} row(s)" if n else "no value in any row"


class Columns:
    """Reads one item's rows: version-1 names mapped, unknown columns counted."""

    def __init__(self, spec: ItemSpec) -> None:
        self.spec = spec
        self.known = frozenset(f.name for f in spec.fields)
        layout = spec.layout or ""
        self.legacy = LEGACY_COLUMNS.get(layout, {})
        self.joined = _JOINED.get(layout, {})
        self.aliases = {k: v for k, v in ALIASES.get(layout, {}).items() if v in self.known}
        self.prefix = layout.upper()
        self.report = ColumnReport()
        self._seen: dict[frozenset[str], tuple[list[str], list[str], list[str]]] = {}

    def origin(self, name: str, original: Mapping[str, str]) -> str | None:
        """The version-1 column of ``original`` that field ``name`` was read from, if any."""
        if name in original:
            return None
        for old, target in self.legacy.items():
            if target == name and old in original:
                return old
        return None

    def note_header(self, names: tuple[str, ...]) -> None:
        """Columns of the file's header that no row had a value for (XLSX omits empty cells):
        reported too, with 0 rows."""
        self.read(dict.fromkeys(names, ""), count=False)

    def read(self, values: Mapping[str, str], *, count: bool = True) -> Mapping[str, str]:
        keys = frozenset(values)
        got = self._seen.get(keys)
        if got is None:
            extra = keys - self.known - set(self.aliases)
            legacy = sorted(k for k in extra if k in self.legacy or k in self.joined)
            meta = sorted(k for k in extra if k in EXPORT_METADATA)
            unknown = sorted(extra - set(legacy) - set(meta))
            if len(self._seen) >= 256:  # API rows may each have their own columns
                self._seen.clear()
            got = self._seen[keys] = (legacy, meta, unknown)
        legacy, meta, unknown = got
        for counts, names in (
            (self.report.legacy, legacy),
            (self.report.metadata, meta),
            (self.report.unknown, unknown),
        ):
            for name in names:
                counts[name] = counts.get(name, 0) + (1 if count else 0)
        if not legacy and not (self.aliases and not keys.isdisjoint(self.aliases)):
            return values  # the common case: the current layout, nothing to rename
        out = dict(values)
        for alias, target in self.aliases.items():
            if alias in out:
                value = out.pop(alias)
                if value.strip() and not out.get(target, "").strip():
                    out[target] = value
        if not legacy:
            return out
        return self._translate(out, legacy)

    def _translate(self, values: Mapping[str, str], legacy: list[str]) -> Mapping[str, str]:
        p = self.prefix
        out = {k: v for k, v in values.items() if k not in legacy}
        for name in legacy:
            value = values.get(name, "").strip()
            target = self.legacy.get(name)
            if target is None or not value or out.get(target, "").strip():
                continue  # a current column with a value wins over its version-1 name
            out[target] = value
        for extra, first in self.joined.items():  # CF_CFLB2 joins CF_CFLB1
            second = values.get(extra, "").strip()
            target = self.legacy[first]
            if second and extra in legacy:
                out[target] = "；".join(v for v in (out.get(target, ""), second) if v)
        uscc = out.get(f"{p}_XDR_SHXYM", "").strip()
        number = out.get(f"{p}_XDR_ZJHM", "").strip()
        if f"{p}_XDR_SFZ" in legacy and number:
            if uscc:  # an organisation's row: the number is its legal representative's
                out.pop(f"{p}_XDR_ZJHM", None)
                out.setdefault(f"{p}_FR_ZJHM", number)
                if not out.get(f"{p}_FR_ZJLX"):
                    out[f"{p}_FR_ZJLX"] = "身份证"
            elif not out.get(f"{p}_XDR_ZJLX"):
                out[f"{p}_XDR_ZJLX"] = "身份证"
        if not out.get(f"{p}_XDR_LB", "").strip():
            if uscc:
                out[f"{p}_XDR_LB"] = _INDIVIDUAL_BUSINESS if uscc.startswith("92") else _ORG
            elif number:
                out[f"{p}_XDR_LB"] = _PERSON
        if p == "CF" and not out.get("CF_WFXW", "").strip() and out.get("CF_SY", "").strip():
            out["CF_WFXW"] = out["CF_SY"]
        if p == "XK" and not out.get("XK_YXQZ", "").strip() and out.get("XK_JDRQ", "").strip():
            out["XK_YXQZ"] = out["XK_JDRQ"]
        return out
