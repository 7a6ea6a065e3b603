"""Precision and recall of vendor matching and breach detection, per language.

Two data sets:
- the shipped labelled set (monitor/eval/data/items.jsonl + vendors.csv), written by hand
  from public facts about real incidents, with hard negatives;
- optionally the jp-news sample (../shared/data/jp-news/secnews_sample.jsonl): real Japanese
  summaries, each labelled with the organisation concerned (組織名).

jp-news is scored at three levels: mention-level matching (strict: any other vendor matched is a false
positive), breach detection, and alerts (which vendors a security team would be alerted about, as a run
decides them: those whose role is breached, affected or product; see ALERT_DEFINITIONS).

Both are run with thousands of real company names (../shared/data/companies/) registered as
distractor vendors, so a matcher that fires on common words or on short names inside longer
ones loses precision here. Distractors are skipped, and said to be, when the folder is absent.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .. import progress
from ..matching.vendors import Vendor
from ..normalize import fold, standard_forms, strip_legal
from .splits import HELD_OUT, bump_one, bump_pairs, split_of, split_problem

if TYPE_CHECKING:
    from ..matching.detect import Verdict
    from ..matching.matcher import Match

# ---------------------------------------------------------------------- distractor vendors

# Security classes and fund lines in the US listings: not company names.
_US_NOISE = re.compile(
    r"(?:\s+-)?(?:\s+|\s*\([^)]*\)\s*)(?:common stock|common shares|class [a-z]\b|ordinary shares|american depositary|depositary shares|"
    r"units?\b|warrants?\b|rights?\b|\d[\d.]*%|series [a-z0-9]+\b|preferred|subordinated|notes due|shares of beneficial)"
    r".*$",
    re.I,
)
_FUNDLIKE = re.compile(r"\b(?:etf|etn|fund|trust|index|portfolio|acquisition corp|上場投信|投資法人|ファンド)\b", re.I)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def company_vendors(folder: str | Path | None) -> list[Vendor]:
    """Real company names from the companies/ folder as vendors (JP name with its English alias).

    Returns [] when the folder is absent. Order is fixed (file by file), so a prefix of the
    list is a reproducible sample.
    """
    if folder is None:
        return []
    root = Path(folder)
    if not root.is_dir():
        return []
    out: list[Vendor] = []
    seen: set[str] = set()

    def add(name: str, aliases: Iterable[str] = ()) -> None:
        name = re.sub(r"\s+", " ", name).strip()
        if not name or _FUNDLIKE.search(name):
            return
        key = strip_legal(fold(name))
        if len(key) < 2 or key in seen:
            return
        seen.add(key)
        als = tuple(a for a in (re.sub(r"\s+", " ", x).strip() for x in aliases) if a and a != name)
        out.append(Vendor(name=name, aliases=als))

    if (p := root / "edinet_corporate.csv").exists():
        for r in _rows(p):
            if "政府" in r.get("提出者種別", ""):
                continue
            add(r.get("提出者名", ""), [r.get("提出者名（英字）", "")])
    if (p := root / "jpx_listed.csv").exists():
        for r in _rows(p):
            if "株式" in r.get("市場・商品区分", "") or r.get("市場・商品区分") == "PRO Market":
                add(r.get("銘柄名", ""))
    if (p := root / "sp500.csv").exists():
        for r in _rows(p):
            add(r.get("Security", ""))
    for fname in ("nasdaq.csv", "nyse.csv"):
        if (p := root / fname).exists():
            for r in _rows(p):
                if r.get("ETF") == "Y" or r.get("Test Issue") == "Y":
                    continue
                add(_US_NOISE.sub("", re.sub(r"\s+", " ", r.get("Company Name", "")).strip()))
    return out


def synthetic_vendors(real: list[Vendor], n: int, seed: int = 7) -> list[Vendor]:
    """Plausible extra names made by recombining words of real ones (for 50k-vendor benchmarks)."""
    rng = random.Random(seed)
    words = sorted(
        {
            w
            for v in real
            for w in re.findall(r"[A-Za-z]{3,}", v.name)
            if w.lower() not in {"inc", "corp", "ltd", "llc", "the", "and", "company", "corporation"}
        }
    )
    tails = ["Inc.", "Corp.", "LLC", "Holdings", "Systems", "Group", "Ltd.", "Technologies"]
    out: list[Vendor] = []
    seen = {strip_legal(fold(v.name)) for v in real}
    while len(out) < n and words:
        name = f"{rng.choice(words)} {rng.choice(words)} {rng.choice(tails)}"
        key = strip_legal(fold(name))
        if key not in seen:
            seen.add(key)
            out.append(Vendor(name=name))
    return out


# ---------------------------------------------------------------------- scoring


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


@dataclass
class Report:
    name: str
    vendors: int
    distractors: int
    items: int
    matching: dict[str, Counts] = field(default_factory=dict)  # per language
    detection: dict[str, Counts] = field(default_factory=dict)
    alerts: dict[str, AlertTally] = field(default_factory=dict)  # per half (jp-news only)
    # Shipped set and own sets: (item, alerted vendor) pairs per language and per split (eval/splits.py).
    alert_pairs: dict[str, Counts] = field(default_factory=dict)
    detection_by_kind: dict[str, dict[str, Counts]] = field(default_factory=dict)  # half -> kind -> counts
    # Per half (jp-news): how many matching false positives are another organisation the text names as
    # registered. They are wrong for the item's single label but right as mentions (the lenient number).
    matching_named_fp: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "set": self.name,
            "vendors": self.vendors,
            "distractors": self.distractors,
            "items": self.items,
            "matching": {k: v.as_dict() for k, v in sorted(self.matching.items())},
            "matching_precision_other_named_ok": {
                k: round(self.lenient_precision(k), 4) for k in sorted(self.matching_named_fp)
            },
            "detection": {k: v.as_dict() for k, v in sorted(self.detection.items())},
            "alerts": {k: v.as_dict() for k, v in sorted(self.alerts.items())},
            "alert_pairs": {k: v.as_dict() for k, v in sorted(self.alert_pairs.items())},
            "detection_recall_by_kind": {
                h: {k: round(c.recall, 4) for k, c in sorted(t.items())}
                for h, t in sorted(self.detection_by_kind.items())
            },
            "notes": self.notes,
            "errors": self.errors,
        }

    def lenient_precision(self, key: str) -> float:
        c = self.matching.get(key, Counts())
        return (c.tp + self.matching_named_fp.get(key, 0)) / (c.tp + c.fp) if c.tp + c.fp else 1.0

    def lines(self) -> list[str]:
        out = [f"{self.name}: {self.items} items, {self.vendors} vendors registered ({self.distractors} distractors)"]
        for what, table in (("matching", self.matching), ("detection", self.detection), ("alerts", self.alert_pairs)):
            if what == "matching" and self.matching_named_fp:
                out.append("  matching, strict (only the item's labelled organisation is a correct match):")
            for lang, c in sorted(table.items()):
                out.append(
                    f"  {what:9} {lang:5} precision {c.precision:.3f}  recall {c.recall:.3f}  "
                    f"(tp {c.tp}, fp {c.fp}, fn {c.fn}, tn {c.tn})"
                )
            if what == "matching" and self.matching_named_fp:
                out.append(
                    "  matching, mentions (another organisation the text names as registered is also correct; "
                    "recall as above):"
                )
                for key in sorted(self.matching_named_fp):
                    c = table.get(key, Counts())
                    out.append(
                        f"  matching  {key:5} precision {self.lenient_precision(key):.3f}  "
                        f"({self.matching_named_fp[key]} of the {c.fp} strict false positives name another "
                        f"organisation as registered)"
                    )
        for half, t in sorted(self.alerts.items()):
            out.append(
                f"  alerts    {half:5} precision {t.precision:.3f}  recall {t.recall:.3f}  (items {t.items}, "
                f"label alerted {t.alerted_label}, any alerted {t.alerted_any}; alerted pairs: correct "
                f"{t.correct}, other organisation named verbatim {t.wrong_named}, other {t.wrong_other}, "
                f"on advisories/trend pieces {t.wrong_negative}, {t.negative_product} of them product alerts)"
            )
            out.append(
                f"            {'':5} recall on the {t.named_items} items whose text names the label "
                f"{t.recall_named:.3f}; precision counting other organisations named verbatim as correct "
                f"{t.precision_other_named_ok:.3f}"
            )
        for half, table in sorted(self.detection_by_kind.items()):
            kinds = sorted(
                ((k.split(": ", 1)[1], c) for k, c in table.items() if k != "all"),
                key=lambda kc: -(kc[1].tp + kc[1].fn),
            )
            rare = Counts()
            cells = []
            for k, c in kinds:
                if c.tp + c.fn >= 5:
                    cells.append(f"{k} {c.recall:.2f} ({c.tp}/{c.tp + c.fn})")
                else:
                    rare.tp, rare.fn = rare.tp + c.tp, rare.fn + c.fn
            if rare.tp + rare.fn:
                cells.append(f"rarer labels {rare.recall:.2f} ({rare.tp}/{rare.tp + rare.fn})")
            out.append(f"  detection recall by attack type (攻撃手口), {half}: " + "; ".join(cells))
        out += [f"  note: {n}" for n in self.notes]
        return out


def _bump(table: dict[str, Counts], lang: str, gold: bool, pred: bool) -> None:
    bump_one(table, (lang, "all"), gold, pred, Counts)


def _without_same_organisations(vendors: list[Vendor], distractors: list[Vendor]) -> list[Vendor]:
    """Drop the distractors that are a registered vendor ('Okta, Inc.' beside 'Okta Inc.'), and only those:
    sibling and look-alike companies stay (eval/distractors.py)."""
    from .distractors import without_registered_companies

    return without_registered_companies(vendors, distractors)


# ---------------------------------------------------------------------- the shipped set


# Package data (pyproject.toml), so `monitor eval` works from an installed package in any folder.
EVAL_DIR = Path(__file__).resolve().parent / "data"


def load_items(path: str | Path, check: bool = True) -> list[dict[str, object]]:
    """One labelled item per line; ValueError naming the file, line and field of the first bad one.
    check=False: only JSON objects (the incident set checks its own fields)."""
    items = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{Path(path).name}:{n}: not JSON: {e.msg}") from e
                problem = (
                    _item_problem(item) if check else (None if isinstance(item, dict) else "expected a JSON object")
                )
                if problem:
                    raise ValueError(f"{Path(path).name}:{n}: {problem}")
                items.append(item)
    return items


def _item_problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "expected a JSON object"
    if not isinstance(item.get("id"), (str, int)) or isinstance(item.get("id"), bool):
        return "id: expected a string or number"
    if not isinstance(item.get("lang"), str) or not item["lang"]:
        return "lang: expected a language code such as en or ja"
    if not isinstance(item.get("breach"), bool):
        return "breach: expected true or false"
    if not isinstance(item.get("title", ""), str) or not isinstance(item.get("text", ""), str):
        return "title and text: expected strings"
    if not (item.get("title") or item.get("text")):
        return "title, text: at least one is needed"
    vendors = item.get("vendors", [])
    if not isinstance(vendors, list) or not all(isinstance(v, str) for v in vendors):
        return "vendors: expected a list of registered vendor names"
    if problem := split_problem(item):
        return problem
    item.setdefault("vendors", [])
    return None


def evaluate_items(
    items: list[dict[str, object]], vendors: list[Vendor], distractors: list[Vendor], name: str = "shipped set"
) -> Report:
    """Each item: id, lang, title, text, link?, vendors (registered names it names), breach (bool)."""
    from ..matching.detect import assess
    from ..matching.matcher import Matcher

    distractors = _without_same_organisations(vendors, distractors)
    matcher = Matcher(vendors + distractors)
    rep = Report(name, len(vendors) + len(distractors), len(distractors), len(items))
    held_out_errors = 0
    for it in progress.iterate(items, f"scoring the {name}", len(items)):  # a bar on a terminal only
        lang = str(it["lang"])
        split = split_of(it)
        title, text, link = str(it.get("title", "")), str(it.get("text", "")), str(it.get("link", ""))
        gold = set(cast("list[str]", it.get("vendors", [])))
        # Organisations outside the register that the text really names (Bank of America, Boeing): a
        # distractor matched on one of them is a correct match, not a false positive.
        also = {strip_legal(fold(n)) for n in cast("list[str]", it.get("also_named", []))}
        found = {m.vendor for m in matcher.match({"title": title, "summary": text}, link)}
        found = {v for v in found if v in gold or strip_legal(fold(v)) not in also}
        for v in gold | found:
            _bump(rep.matching, lang, v in gold, v in found)
        if not gold and not found:
            _bump(rep.matching, lang, False, False)
        bump_pairs(rep.matching, [split], gold, found, Counts)
        errors: list[dict[str, object]] = []
        if gold != found:
            errors.append(
                {"id": it["id"], "kind": "matching", "missed": sorted(gold - found), "extra": sorted(found - gold)}
            )
        verdict = assess(title, text)
        _bump(rep.detection, lang, bool(it["breach"]), verdict.breach)
        bump_one(rep.detection, [split], bool(it["breach"]), verdict.breach, Counts)
        if verdict.breach != bool(it["breach"]):
            errors.append(
                {
                    "id": it["id"],
                    "kind": "detection",
                    "expected": bool(it["breach"]),
                    "score": verdict.score,
                    "terms": list(verdict.terms),
                }
            )
        ms = [m for m in matcher.match({"title": title, "summary": text}, link) if m.vendor in found]
        alerted = {m.vendor for m, _ in alerted_with_roles(verdict, ms, title, text)}
        expected = gold if it["breach"] else set()
        bump_pairs(rep.alert_pairs, [lang, "all", split], expected, alerted, Counts)
        if alerted != expected:
            errors.append(
                {
                    "id": it["id"],
                    "kind": "alert",
                    "missed": sorted(expected - alerted),
                    "extra": sorted(alerted - expected),
                }
            )
        # Held-out items are scored, never listed: what is not seen is not tuned on.
        if split == HELD_OUT:
            held_out_errors += len(errors)
        else:
            rep.errors.extend(errors)
    if any(split_of(it) == HELD_OUT for it in items):
        rep.notes.append(
            f"{sum(split_of(it) == HELD_OUT for it in items)} held-out items are scored (rows "
            f"'{HELD_OUT}') but their {held_out_errors} errors are not listed: do not tune on them"
        )
    return rep


def evaluate_set(items_path: str | Path, vendors_path: str | Path, companies: str | Path | None) -> Report:
    """A team's own labelled items (the shipped set's JSONL format) against their vendors.csv."""
    from ..matching.vendors import load_vendors

    items, vendors = load_items(items_path), load_vendors(vendors_path)
    registered = {v.name for v in vendors}
    for it in items:
        unknown = sorted(set(cast("list[str]", it["vendors"])) - registered)  # checked by load_items
        if unknown:
            raise ValueError(
                f"{Path(items_path).name}: item {it['id']}: vendors: {', '.join(unknown)} not in {vendors_path}"
            )
    distractors = company_vendors(companies)
    rep = evaluate_items(items, vendors, distractors, name=Path(items_path).name)
    if not distractors:
        rep.notes.append(f"no distractor vendors: {companies} not found")
    return rep


def evaluate_shipped(companies: str | Path | None, eval_dir: str | Path = EVAL_DIR) -> Report:
    from ..matching.vendors import load_vendors

    eval_dir = Path(eval_dir)
    distractors = company_vendors(companies)
    rep = evaluate_items(load_items(eval_dir / "items.jsonl"), load_vendors(eval_dir / "vendors.csv"), distractors)
    if not distractors:
        rep.notes.append(f"no distractor vendors: {companies} not found")
    return rep


# ---------------------------------------------------------------------- jp-news


_INCIDENT_GROUPS = ("incident_jp_source", "incident_en_source")
# Labels that describe a kind of organisation rather than name one (政府機関, 複数企業, 医療機器メーカー).
_GENERIC_LABEL = re.compile(
    r"(?:機関|企業|組織|団体|メーカー|業者|官|ユーザー|利用者|顧客|各社|複数|関係者|政府|業界|"
    r"当局|事業者|病院群|自治体|大使館|研究者|個人|不明|など|等)$|^(?:複数|多数|各国|世界|国内|海外|米国|日本|架空)|"
    r"\[\[|^\d+社$|^(?:米|英|中小)?(?:大学|金融|半導体|損害保険|製造業|航空会社|水道施設|元雇用者|NPO法人|"
    r"防衛産業|医療大手|通販大手|欧州防衛|重要インフラ|通信インフラ)$"
)
# Governments and their arms (ministries, agencies, armed forces, police) are not vendors.
_GOVERNMENT_LABEL = re.compile(
    r"(?:政府|省|庁|内閣府|軍|自衛隊|警察|県警|府警|警視庁|議会|(?<!実行)委員会|外交部|国家安全局)$|"
    r"\b(?:FBI|NSA|DHS|CISA|NCSC|NUKIB|NATO|CNMF|PSNI|Cyber Command|Ministry|Government)\b"
)
# Countries named as the organisation concerned ('ウクライナ', 'イスラエル').
_COUNTRIES = frozenset(
    """
日本 米国 アメリカ 英国 イギリス 中国 韓国 北朝鮮 台湾 ロシア ウクライナ イスラエル イラン イラク イタリア ドイツ フランス スペイン
ポルトガル オランダ ベルギー スイス オーストリア ポーランド チェコ スウェーデン ノルウェー フィンランド デンマーク アイルランド
カナダ メキシコ ブラジル アルゼンチン コロンビア ベネズエラ チリ ペルー インド パキスタン バングラデシュ インドネシア マレーシア
シンガポール タイ ベトナム フィリピン オーストラリア ニュージーランド トルコ サウジアラビア エジプト 南アフリカ ナイジェリア ケニア
アルジェリア モロッコ パラグアイ ウルグアイ カザフスタン キルギス スリランカ ネパール トンガ パナマ ギリシャ ルーマニア ハンガリー
""".split()
)
# A label that lists several organisations ('TruStar Holdings LLCとVIST Labs LLC', 'A、B') names no one vendor.
_SEVERAL_LABEL = re.compile(r"[、,，]|および|及び|(?<=[A-Za-z0-9.)])と|と(?=[A-Z])|\band\b.*\band\b")
_PAREN_ALIAS = re.compile(r"^(.+?)\s*[(（]([^()（）]+)[)）]$")


def _half(row: dict[str, str]) -> str:
    """A fixed split of the jp-news rows: rules were developed looking at 'dev' only."""
    digest = hashlib.sha1(row.get("_git_blob", row.get("URL", "")).encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "held-out"


def _named_verbatim(m: Match, v: Vendor) -> int:
    """1 when the text shows the vendor's registered name or alias (legal form aside) exactly as registered."""
    from ..normalize import fold_case_kept

    for n in (v.name, *v.aliases):
        base = fold_case_kept(n)
        for form in ("株式会社", "Inc.", "Corporation", "Corp.", "Ltd.", "LLC", ","):
            base = base.replace(form, "")
        if base.strip() and base.strip() == m.surface.strip():
            return 1
    return 0


def label_kind(label: str) -> str:
    """'vendor' for a label naming one organisation; otherwise why it is not registered."""
    if _SEVERAL_LABEL.search(label):
        return "several organisations"
    if label in _COUNTRIES or _GOVERNMENT_LABEL.search(label):
        return "country or government"
    if _GENERIC_LABEL.search(label):
        return "kind of organisation"
    return "vendor"


def register_from_labels(labels: dict[str, int]) -> tuple[list[Vendor], dict[str, str]]:
    """One vendor per organisation, as a real register holds it: labels whose organisation_key is equal
    (アサヒGHD / アサヒHD / アサヒグループホールディングス; 損害保険ジャパン / 損保ジャパン) become one vendor,
    named by its most frequent label with the others as aliases; 'Ginlong (Solis)' gives the alias Solis.
    `labels` maps label -> number of items. Returns the vendors and label -> vendor name."""
    from ..normalize import organisation_key

    groups: dict[str, list[str]] = {}
    for label in labels:
        base = m.group(1) if (m := _PAREN_ALIAS.match(label)) else label
        groups.setdefault(organisation_key(base) or label, []).append(label)
    vendors, owner = [], {}
    for members in groups.values():
        members.sort(key=lambda x: (-labels[x], len(x), x))
        names: list[str] = []
        for x in members:
            m = _PAREN_ALIAS.match(x)
            names += [m.group(1), m.group(2)] if m else [x]
        names = list(dict.fromkeys(names))
        vendors.append(Vendor(name=names[0], aliases=tuple(names[1:])))
        owner.update({x: names[0] for x in members})
    vendors.sort(key=lambda v: v.name)
    return vendors, owner


@dataclass
class AlertTally:
    """Alert level: which vendors would be alerted (breach verdict and subject of the report)."""

    items: int = 0  # items whose labelled organisation is registered
    alerted_label: int = 0  # ... where the label's vendor was alerted
    named_items: int = 0  # ... whose text names the organisation (name or alias, in some normalised form)
    named_alerted: int = 0  # ... of those, where the label's vendor was alerted
    alerted_any: int = 0  # ... where some vendor was alerted
    correct: int = 0  # alerted (item, vendor) pairs where the vendor is the label's
    wrong_named: int = 0  # alerted pairs for another organisation named verbatim in the text
    wrong_other: int = 0  # other wrong alerted pairs on labelled items
    wrong_negative: int = 0  # alerted pairs on advisories and trend pieces (non_incident, no organisation)
    negative_product: int = 0  # ... of them, product alerts (an advisory telling the product exploited)

    @property
    def wrong(self) -> int:
        return self.wrong_named + self.wrong_other + self.wrong_negative

    @property
    def precision(self) -> float:
        return self.correct / (self.correct + self.wrong) if self.correct + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.alerted_label / self.items if self.items else 1.0

    @property
    def recall_named(self) -> float:
        return self.named_alerted / self.named_items if self.named_items else 1.0

    @property
    def precision_other_named_ok(self) -> float:
        """Counting alerts for another organisation named verbatim in the report as correct."""
        ok = self.correct + self.wrong_named
        return ok / (ok + self.wrong_other + self.wrong_negative) if self.correct + self.wrong else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "recall_items_naming_label": round(self.recall_named, 4),
            "precision_other_named_ok": round(self.precision_other_named_ok, 4),
            "items": self.items,
            "items_naming_label": self.named_items,
            "alerted_label": self.alerted_label,
            "alerted_any": self.alerted_any,
            "correct": self.correct,
            "wrong_named_verbatim": self.wrong_named,
            "wrong_other": self.wrong_other,
            "wrong_on_negatives": self.wrong_negative,
            "product_alerts_on_negatives": self.negative_product,
        }


MATCHING_DEFINITIONS = (
    "matching: each item labelled with a registered organisation is a positive (found when that vendor is "
    "matched); every other vendor matched on an item, and any vendor matched on an item labelled N/A, is a "
    "false positive in the strict numbers ({verbatim} of all {fp} are another organisation whose registered "
    "name or alias the text shows as written: correct as mentions, counted so in the 'mentions' precision; a "
    "registered name that is also an ordinary word, written as that word, counts there too, so the mentions "
    "precision is an upper bound and the strict one a lower bound)"
)
DETECTION_DEFINITIONS = (
    "detection: positives are the incident groups (incident_jp_source, incident_en_source), whatever their attack "
    "type, including patch notes and outages filed there; negatives are the non_incident items labelled N/A "
    "(advisories, trend pieces, business news)"
)
ALERT_DEFINITIONS = (
    "alerts: a vendor is alerted when its role is breached, affected or product (matching.roles, as a run decides "
    "it: the subject of a breach report, named in the title or beside a breach term and not as the reporter, is "
    "breached or affected unless the text tells otherwise; a product exploited or the victim's software is a product "
    "alert; a vendor only mentioned is stored, not alerted). "
    "recall = labelled items whose label's vendor is alerted / labelled items with the label registered; "
    "precision = alerted (item, vendor) pairs for the label's vendor / all alerted pairs on those items and "
    "on the advisories and trend pieces (non_incident, no organisation)"
)


def alerted_with_roles(verdict: Verdict, matches: list[Match], title: str, text: str) -> list[tuple[Match, str]]:
    """The matches a run alerts on, with their roles, decided as the pipeline decides them (pipeline.workers:
    roles.alerted_matches): the vendors whose role is breached, affected or product."""
    from ..matching.roles import alerted_matches, assign, of_match

    if not matches:
        return []
    roles = assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))
    return [(m, of_match(m, roles).role) for m in alerted_matches(matches, roles)]


def evaluate_jp_news(path: str | Path, companies: str | Path | None, sample: int = 300, seed: int = 20240601) -> Report:
    """Register `sample` labelled organisations plus the distractors; score matching, detection and alerts.

    Labels are grouped into organisations first (register_from_labels): variants of one company are
    one vendor with aliases; labels naming several organisations, a country, a government body or a
    kind of organisation are not registered. `sample` organisations are drawn with a fixed seed.
    Matching (mention level, strict): an item whose label is a registered organisation is a positive
    (found = that vendor matched); items labelled N/A are negatives (any vendor matched there is a
    false positive); a vendor other than the label matched on a positive item is a false positive,
    even when the text really names it.
    Detection: the incident groups are positives; the non_incident items labelled N/A are negatives
    (non_incident items with an organisation are often incident reports filed under 注意喚起 and are
    left out; incident_no_org mixes incidents with trend pieces and is left out).
    Alerts: see ALERT_DEFINITIONS.
    Results are given for the dev half (rules were tuned looking at it) and the held-out half.
    """
    from ..matching.detect import assess
    from ..matching.matcher import Matcher

    rows = [json.loads(line) for line in Path(path).open(encoding="utf-8") if line.strip()]
    counts: dict[str, int] = {}
    for r in rows:
        if r["_sample_group"] in _INCIDENT_GROUPS and r["組織名"] != "N/A":
            counts[r["組織名"]] = counts.get(r["組織名"], 0) + 1
    kinds = {x: label_kind(x) for x in counts}
    registrable, owner = register_from_labels({x: n for x, n in counts.items() if kinds[x] == "vendor"})
    chosen_vendors = random.Random(seed).sample(registrable, min(sample, len(registrable)))
    vendors = sorted(chosen_vendors, key=lambda v: v.name)
    registered = {v.name for v in vendors}
    gold_of = {label: name for label, name in owner.items() if name in registered}
    distractors = _without_same_organisations(vendors, company_vendors(companies))
    matcher = Matcher(vendors + distractors)
    rep = Report(f"jp-news ({Path(path).name})", len(vendors) + len(distractors), len(distractors), len(rows))
    label_absent = verbatim = 0
    by_name = {v.name: v for v in vendors + distractors}
    for r in progress.iterate(rows, "scoring jp-news", len(rows)):  # a bar on a terminal only
        half, label, group = _half(r), r["組織名"], r["_sample_group"]
        title, text = r["タイトル"], r["概要"]
        positive = label in gold_of and group in _INCIDENT_GROUPS
        negative_item = group == "non_incident" and label == "N/A"
        verdict = assess(title, text)
        if label in gold_of or label == "N/A":
            ms = matcher.match({"title": title, "summary": text})
            found = {m.vendor for m in ms}
            gold = {gold_of[label]} if label in gold_of else set()
            for m in ms:
                if m.vendor not in gold and _named_verbatim(m, by_name[m.vendor]):
                    verbatim += 1
                    for key in (half, "all"):
                        rep.matching_named_fp[key] = rep.matching_named_fp.get(key, 0) + 1
            v = by_name[gold_of[label]] if gold else None
            folded_text = fold(title + " " + text, join_cjk=True)
            named = v is not None and any(f in folded_text for n in (v.name, *v.aliases) for f in standard_forms(n))
            label_absent += bool(v) and not named
            for vn in gold | found:
                _bump(rep.matching, half, vn in gold, vn in found)
            if not gold and not found:
                _bump(rep.matching, half, False, False)
            if gold != found and half == "dev":
                rep.errors.append(
                    {
                        "kind": "matching",
                        "label": label,
                        "title": title,
                        "missed": sorted(gold - found),
                        "extra": sorted(found - gold),
                    }
                )
            if positive or negative_item:
                sent = alerted_with_roles(verdict, ms, title, text)
                alerted = {m.vendor for m, _ in sent}
                for key in (half, "all"):
                    t = rep.alerts.setdefault(key, AlertTally())
                    if positive:
                        t.items += 1
                        t.alerted_label += gold_of[label] in alerted
                        t.alerted_any += bool(alerted)
                        t.named_items += named
                        t.named_alerted += named and gold_of[label] in alerted
                    for m, role in sent:
                        if m.vendor in gold:
                            t.correct += 1
                        elif negative_item:
                            t.wrong_negative += 1
                            t.negative_product += role == "product"
                        elif _named_verbatim(m, by_name[m.vendor]):
                            t.wrong_named += 1
                        else:
                            t.wrong_other += 1
                if half == "dev" and (alerted != gold) and (positive or alerted):
                    rep.errors.append(
                        {
                            "kind": "alert",
                            "label": label,
                            "title": title,
                            "breach": verdict.breach,
                            "alerted": sorted(alerted),
                        }
                    )
        if group in _INCIDENT_GROUPS or negative_item:
            gold_b = group in _INCIDENT_GROUPS
            _bump(rep.detection, half, gold_b, verdict.breach)
            if gold_b:
                kind = re.sub(r"[\[\]]", "", r.get("攻撃手口") or "N/A").split("、")[0].replace("ウエア", "ウェア")
                kind = "attack: " + (kind or "N/A")
                _bump(rep.detection_by_kind.setdefault(half, {}), kind, True, verdict.breach)
            if verdict.breach != gold_b and half == "dev":
                rep.errors.append({"kind": "detection", "expected": gold_b, "title": title, "score": verdict.score})
    c = rep.matching.get("all", Counts())
    n_groups = sum(1 for v in registrable if v.aliases)
    skipped: dict[str, int] = {}
    for k in kinds.values():
        if k != "vendor":
            skipped[k] = skipped.get(k, 0) + 1
    rep.notes.append(MATCHING_DEFINITIONS.format(verbatim=verbatim, fp=c.fp))
    rep.notes.append(DETECTION_DEFINITIONS)
    folded_in = len(owner) - len(registrable)
    beyond_form = sum(
        1
        for v in registrable
        if len({strip_legal(fold(n, join_cjk=True)).replace(" ", "") for n in (v.name, *v.aliases)}) > 1
    )
    rep.notes.append(
        f"{len(counts)} distinct labels; not registered: "
        + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
        + f"; the other {len(owner)} labels are {len(registrable)} organisations: {n_groups} of them "
        f"merged from several labels ({folded_in} labels folded in; {beyond_form} differ by more than a "
        f"legal form, e.g. アサヒGHD / アサヒHD / アサヒグループホールディングス); "
        f"{len(vendors)} organisations registered, with their aliases"
    )
    rep.notes.append(
        f"{label_absent} items of registered organisations do not contain the name or an alias in any "
        "normalised form, nor a standard short form of it (counted as misses)"
    )
    rep.notes.append(ALERT_DEFINITIONS)
    if not distractors:
        rep.notes.append(f"no distractor vendors: {companies} not found")
    return rep


# ---------------------------------------------------------------------- incidents (issue 14)


INCIDENT_TARGETS = {"threads_per_incident": 1.1, "wrongly_merged": 0.02, "never_alerted": 0}


@dataclass
class IncidentReport:
    """How the stored reports were grouped into incidents (Slack threads), against the labels."""

    name: str
    items: int
    incidents: int  # true incidents in the labels
    threads: int = 0  # incidents opened (top-level Slack messages)
    alerted: int = 0
    wrongly_merged: int = 0  # reports in an incident whose majority is another true incident
    never_alerted: list[str] = field(default_factory=list)  # ids of reports that queued no alert
    errors: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def threads_per_incident(self) -> float:
        return self.threads / self.incidents if self.incidents else 0.0

    @property
    def wrongly_merged_rate(self) -> float:
        return self.wrongly_merged / self.alerted if self.alerted else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "set": self.name,
            "items": self.items,
            "incidents": self.incidents,
            "threads": self.threads,
            "threads_per_incident": round(self.threads_per_incident, 4),
            "alerted": self.alerted,
            "wrongly_merged": self.wrongly_merged,
            "wrongly_merged_rate": round(self.wrongly_merged_rate, 4),
            "never_alerted": self.never_alerted,
            "targets": INCIDENT_TARGETS,
            "notes": self.notes,
            "errors": self.errors,
        }

    def lines(self) -> list[str]:
        t = INCIDENT_TARGETS
        return [
            f"{self.name}: {self.items} reports about {self.incidents} incidents",
            f"  new threads per true incident {self.threads_per_incident:.3f} ({self.threads} threads; "
            f"target <= {t['threads_per_incident']})",
            f"  reports wrongly merged into another incident {self.wrongly_merged_rate:.3%} "
            f"({self.wrongly_merged} of {self.alerted}; target <= {t['wrongly_merged']:.0%})",
            f"  reports that never reach Slack {len(self.never_alerted)} (target {t['never_alerted']})",
        ] + [f"  note: {n}" for n in self.notes]


def evaluate_incidents(
    path: str | Path = EVAL_DIR / "incidents.jsonl", vendors_path: str | Path = EVAL_DIR / "incident_vendors.csv"
) -> IncidentReport:
    """Replay labelled reports (id, incident, vendor, lang, published, source, title, text), a day at a
    time in published order, through detection, matching, storing and the incident rule
    (Monitor._queue_article_alert) into a temporary database; score the incidents it opens."""
    import collections
    import tempfile
    from datetime import datetime

    from ..alerting.slack import ConsoleSender
    from ..config import FeedSource, load_config
    from ..matching.matcher import Matcher
    from ..matching.vendors import load_vendors
    from ..pipeline.cycle import Monitor
    from ..pipeline.workers import decide
    from ..sources.dedupe import new_items
    from ..sources.parse import Item
    from ..storage import alert_store
    from ..storage.feedback import Rules
    from ..storage.store import Store

    items = load_items(path, check=False)
    for n, it in enumerate(items, 1):
        for key in ("id", "incident", "vendor", "published", "source", "title", "text"):
            if not isinstance(it.get(key), str) or not it[key]:
                raise ValueError(f"{Path(path).name}:{n}: field {key!r} missing or not a string")
    vendors = load_vendors(vendors_path)
    truth = {str(it["id"]): str(it["incident"]) for it in items}
    rep = IncidentReport("incident set", len(items), len(set(truth.values())))
    days: dict[str, dict[str, list[Item]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for it in items:
        day = str(it["published"])[:10]
        days[day][str(it["source"])].append(
            Item(
                str(it["title"]), f"https://eval.example/{it['id']}", str(it["id"]), f"{day}T09:00:00Z", str(it["text"])
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "feeds.yaml").write_text(
            f'sources:\n  - {{name: eval, url: "http://127.0.0.1:9/feed"}}\nvendors: {Path(vendors_path).resolve()}\n',
            encoding="utf-8",
        )
        store = Store(work / "monitor.db")
        try:
            monitor = Monitor(load_config(work / "feeds.yaml"), vendors, store, ConsoleSender())
            matcher = Matcher(vendors)
            for day in sorted(days):
                now = datetime.fromisoformat(day + "T23:00:00+00:00").astimezone(UTC)
                with store.write() as db:
                    for site, site_items in days[day].items():
                        source = FeedSource(name=site, url="http://127.0.0.1:9/feed")
                        fresh, _ = new_items(site, site_items, False, store.known_keys)
                        for d in decide(matcher, False, fresh, {}, now)[0]:
                            aid = monitor._store_decision(db, source, d, now.isoformat())  # noqa: SLF001
                            if aid is not None:
                                monitor._queue_alerts(db, source, aid, d, now, Rules())  # noqa: SLF001
            placed = alert_store.incident_of_each_item(store.db)
        finally:
            store.close()
    members: dict[int | None, list[str]] = collections.defaultdict(list)  # by incident (None: no incident)
    for item_id in truth:
        if item_id not in placed:
            rep.never_alerted.append(item_id)
            rep.errors.append({"id": item_id, "kind": "never alerted", "incident": truth[item_id]})
            continue
        members[placed[item_id][0]].append(item_id)
    rep.alerted = sum(len(m) for m in members.values())
    rep.threads = len(members)
    for ids in members.values():
        majority, _ = collections.Counter(truth[i] for i in ids).most_common(1)[0]
        for i in ids:
            if truth[i] != majority:
                rep.wrongly_merged += 1
                rep.errors.append(
                    {
                        "id": i,
                        "kind": "wrongly merged",
                        "incident": truth[i],
                        "merged_into": majority,
                        "reason": placed[i][1],
                    }
                )
    opened = collections.Counter(truth[i] for ids in members.values() for i in ids[:1])
    for true_inc, n in sorted(opened.items()):
        if n > 1:
            rep.errors.append(
                {
                    "kind": "split",
                    "incident": true_inc,
                    "threads": n,
                    "opened_by": [
                        {"id": ids[0], "reason": placed[ids[0]][1]}
                        for ids in members.values()
                        if truth[ids[0]] == true_inc
                    ],
                }
            )
    return rep
