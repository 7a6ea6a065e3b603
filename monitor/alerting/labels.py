"""The words of alert messages, per `slack.language` (en, ja). Pure data and one lookup.

The Japanese is written for a Japanese security analyst reading a Slack channel: the terms a
third-party risk team uses (取引先, 委託先, 続報, 一致の根拠), not a word-for-word translation.
Placeholders are str.format fields; values passed in are already escaped for Slack by the caller.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")

EN: dict[str, str] = {
    # header kinds
    "kind.breach": "Breach report",
    "kind.supply_chain": "Supply-chain breach report",
    "kind.follow_up": "Follow-up",
    "kind.another": "Another report",
    "kind.claim": "Leak-site claim (unverified)",
    "kind.newsroom": "Vendor's own notice",
    "role.breached": "Breach at vendor",
    "role.affected": "Vendor's data exposed through its contractor {via}",
    "role.product": "Vendor's product exploited",
    "role.affected_unnamed": "Vendor's data exposed through its contractor",
    "role.mentioned": "Vendor mentioned",
    "evidence.newsroom": "the vendor's own notice, on its newsroom {url}",
    # fields
    "field.source": "Source",
    "field.published": "Published",
    "owner": "{crit} · owner {owner}",
    "why": "Why it matched",
    # evidence: how a vendor was found, where
    "how.name": "name",
    "how.alias": "alias",
    "how.product": "product name",
    "how.domain": "domain",
    "how.fuzzy": "near match",
    "in.title": "title",
    "in.summary": "summary",
    "in.body": "body",
    "in.link": "link",
    "evidence": "{how} “{matched}” as “{surface}” in {field}{score}",
    "score": ", score {score}",
    "crit.critical": "critical",
    "crit.high": "high",
    "crit.medium": "medium",
    "crit.low": "low",
    # notes
    "fourth_party": "Fourth party: {chain}",
    "supplier_of": "supplier of {name}",
    "supply_chain_note": "Supply-chain report: the entry point was a contractor / 委託先",
    "claim_note": "Claimed on a leak site; not confirmed by the vendor.",
    "claim_post": " Post (not opened; do not visit): {post}",
    "not_clickable": "Link not clickable (not an http(s) URL): {url}",
    "incident_joined": "Incident #{id}, report {no}: {title} ({reason})",
    "incident_new": "Incident #{id} (new)",
    "terms": "Breach terms: {terms}",
    "feedback": "Alert #{id} · wrong vendor? `monitor feedback {id} --wrong-vendor`",
    # fallback text (notifications, screen readers)
    "text": "{kind} naming {names}: {title}",
    "text_joined": "{kind} on incident #{id} ({first}) naming {names}: {title}",
    # digest
    "digest.title": "Daily digest: {n} low-criticality vendor report{s}{part}",
    "digest.part": " (part {part} of {parts})",
    "digest.claim": "(leak-site claim, unverified: {post})",
    "digest.alert": "alert #{id}",
    "digest.feedback": "Wrong vendor? `monitor feedback ALERT_ID --wrong-vendor`",
    # source health
    "health.recovered": "✅ Source recovered: {source}",
    "health.recovered_body": "*{source}* is being read again ({url}).",
    "health.empty": "⚠️ Source returns no items: {source}",
    "health.empty_body": "*{source}* parsed to zero items after returning items before. "
    "The page layout or selectors may have changed. ({url})",
    "health.empty_first_body": "*{source}* parsed to zero items on its first poll: its selectors match nothing "
    "on the page. Check them with `monitor sources check`. ({url})",
    "health.failing": "⚠️ Source failing: {source}",
    "health.failing_body": "*{source}* failed {failures} times in a row. Breach news from it is not being "
    "seen.\nLast error: {error}\n{url}",
}

JA: dict[str, str] = {
    "kind.breach": "取引先の侵害報告",
    "kind.supply_chain": "委託先経由の侵害報告",
    "kind.follow_up": "続報",
    "kind.another": "同じインシデントの別報道",
    "kind.claim": "リークサイト上の犯行声明（未確認）",
    "kind.newsroom": "ベンダー自身の公表",
    "role.breached": "取引先の侵害報告",
    "role.affected": "委託先 {via} 経由で取引先の情報が流出",
    "role.product": "取引先の製品が悪用",
    "role.affected_unnamed": "委託先経由で取引先の情報が流出",
    "role.mentioned": "取引先への言及",
    "evidence.newsroom": "ベンダー自身のお知らせページ {url} での公表",
    "field.source": "情報源",
    "field.published": "公開日時",
    "owner": "{crit} · 担当 {owner}",
    "why": "一致の根拠",
    "how.name": "正式名称",
    "how.alias": "別名",
    "how.product": "製品名",
    "how.domain": "ドメイン",
    "how.fuzzy": "表記ゆれ",
    "in.title": "見出し",
    "in.summary": "概要",
    "in.body": "本文",
    "in.link": "リンク",
    "evidence": "{field}の「{surface}」が{how}「{matched}」に一致{score}",
    "score": "（類似度 {score}）",
    "crit.critical": "重要度：最高",
    "crit.high": "重要度：高",
    "crit.medium": "重要度：中",
    "crit.low": "重要度：低",
    "fourth_party": "第四者（委託先の委託先）: {chain}",
    "supplier_of": "{name} の委託先",
    "supply_chain_note": "委託先経由の報告: 侵入口は委託先です",
    "claim_note": "リークサイト上の主張で、当該企業は認めていません。",
    "claim_post": " 投稿（未確認・アクセスしないこと）: {post}",
    "not_clickable": "リンクは開けません（http(s) 以外の URL）: {url}",
    "incident_joined": "インシデント #{id} の {no} 件目の報告: {title}（{reason}）",
    "incident_new": "インシデント #{id}（新規）",
    "terms": "検出した語: {terms}",
    "feedback": "アラート #{id} · 取引先の誤認なら `monitor feedback {id} --wrong-vendor`",
    "text": "{kind}（{names}）: {title}",
    "text_joined": "{kind}（インシデント #{id}「{first}」、{names}）: {title}",
    "digest.title": "日次ダイジェスト: 重要度「低」の取引先に関する報告 {n} 件{part}",
    "digest.part": "（{part}/{parts}）",
    "digest.claim": "（リークサイト上の主張・未確認: {post}）",
    "digest.alert": "アラート #{id}",
    "digest.feedback": "取引先の誤認なら `monitor feedback ALERT_ID --wrong-vendor`",
    "health.recovered": "✅ 情報源が復旧: {source}",
    "health.recovered_body": "*{source}* を再び取得できています（{url}）。",
    "health.empty": "⚠️ 情報源から記事を取得できません: {source}",
    "health.empty_body": "*{source}* は以前は記事を返していましたが、0 件になりました。"
    "ページ構成かセレクタが変わった可能性があります。（{url}）",
    "health.empty_first_body": "*{source}* は初回の取得で 0 件でした。セレクタがページ上のどこにも一致していません。"
    "`monitor sources check` で確認してください。（{url}）",
    "health.failing": "⚠️ 情報源の取得に失敗: {source}",
    "health.failing_body": "*{source}* の取得が {failures} 回連続で失敗しています。この情報源の侵害報道は"
    "届いていません。\n最後のエラー: {error}\n{url}",
}

TABLES: dict[str, dict[str, str]] = {"en": EN, "ja": JA}


def label(lang: str, key: str, **values: object) -> str:
    """The wording of `key` in `lang` (English for an unknown language or key), filled with `values`."""
    table = TABLES.get(lang, EN)
    text = table.get(key) or EN.get(key) or key
    return text.format(**values) if values else text
