"""The words that tell a vendor's part in a report: the cue patterns matching.roles reads around each name.

Each pattern reads the lower-case, NFKC-normalised words right before ('…_BEFORE', ending at the name) or right after
('…_AFTER', starting at the name) one naming of a vendor, in its own sentence. Pure data and two helpers: the
decisions are in matching.roles.
"""

from __future__ import annotations

import re

# A run of Latin words after a name ('(?:\s*[a-z0-9][\w.+-]*){0,3}': 'Fortinet FortiWeb', ' e-business suite'), written
# so that a run has one reading only. As written, a word may end anywhere inside a longer one and the next begin
# there, so re tried every split of a run against every alternative: a Latin name followed by 90 characters cost
# ~0.13 ms a pattern. A split with no space between is itself one word, so a run is its first word and then words
# after whitespace: the same texts match (checked on the 12,000 contexts of the jp-news summaries), 10x faster.
_LATIN_RUN = re.compile(r"\(\?:\\s\*\[a-z0-9\]\[([^\]]*)\]\*\)\{(\d),(\d)\}(\??)")


def one_reading(pattern: str) -> str:
    """The pattern with each run of Latin words rewritten to its one-reading form (see _LATIN_RUN)."""

    def rewrite(m: re.Match[str]) -> str:
        word = "[a-z0-9][" + m.group(1) + "]*"
        lo, hi, lazy = int(m.group(2)), int(m.group(3)), m.group(4)
        run = r"\s*" + word + r"(?:\s+" + word + "){0," + str(hi - 1) + "}" + lazy
        return "(?:" + run + ")" + ("?" + lazy if lo == 0 else "")

    return _LATIN_RUN.sub(rewrite, pattern)


def _compile_runs(pattern: str) -> re.Pattern[str]:
    return re.compile(one_reading(pattern))


_WORD = r"[\w&.'’-]+"  # one word of a name or phrase (Latin)
_GAP = rf"(?:{_WORD}\s+){{0,3}}?"

# --- mentioned: cited, posted on, acquirer, parent in an aside ---------------------------------------
MENTIONED_BEFORE = re.compile(
    r"(?:according to|researchers? (?:at|from|with)|analysts? (?:at|from)|reported by|discovered by|spotted by|"
    r"found by|investigated by|identified by|security (?:firm|company|vendor|researchers?|provider)|"
    r"cyber-?security (?:firm|company|vendor|provider)|threat[- ]intelligence (?:firm|company)|incident response (?:firm|"
    r"company)|hired|engaged|retained|with the help of|working with|told|a report (?:by|from)|data from)\s+"
    r"(?:the\s+)?$|"
    rf"(?:posted|sold|shared|published|leaked|advertised|offered|listed|dumped|announced|circulat\w+|put up|"
    rf"distributed|spread|pasted|tweeted|broadcast)\s+{_GAP}(?:on|via|to|through)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:public\s+|private\s+|open\s+|popular\s+)?$|"
    # who helped put it out or take it down ('provided with support from dehashed.com', 'with support from Europol and
    # Eurojust'), one of several listed
    r"\b(?:(?:with\s+)?(?:the\s+)?(?:support|help|assistance)\s+(?:from|of)|courtesy of|supplied by|provided by)\s+"
    r"(?:the\s+)?(?:[\w&.-]+(?:\s+[\w&.-]+){0,3}?\s*(?:,|\band\b)\s*)*$|"
    # where the news or the data was put out, or public data taken from ('in a post on X', 'scraped from X')
    r"\b(?:in|via|through)\s+(?:a|an|one|several)\s+(?:[\w-]+\s+)?(?:posts?|tweets?|messages?|videos?|threads?|"
    r"channels?)\s+(?:on|to)\s+$|"
    r"\bscraped\s+(?:[\w-]+\s+){0,2}?(?:from|off)\s+(?:the\s+)?$|"
    # a brand impersonated in phishing or fraud is not breached ('emails impersonating X', 'a fake X site')
    r"\b(?:impersonat(?:e|es|ed|ing)|posing as|pretending to be|masquerading as|spoof(?:s|ed|ing)?|fake|phony|"
    r"bogus|counterfeit|look-?alike)\s+(?:an?\s+|the\s+)?$|偽(?:の|装した)?$|"
    # ... or the carrier of something malicious made on it ('悪意あるGitHubのプルリクエスト', '悪意あるnpmパッケージ')
    r"(?:悪意ある|悪意のある|不正な|悪質な)$|"
    # the attackers ('hacked by Malek Team', 'a campaign attributed to X'), where their name is also a company's
    r"\b(?:hacked|breached|attacked|targeted|claimed|defaced|leaked) by\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$|"
    r"(?:acquired by|bought by|owned by|purchased by|(?:a |the )?(?:unit|subsidiary|division|arm|affiliate|part|"
    r"sister company|brand) of)\s+(?:the\s+)?$|"
    # someone's parent told as such ("Zara's parent company Inditex"; 'obtained from parent company X' is the place)
    r"(?:'s|’s|\bits|\btheir)\s+(?:parent(?: company)?|holding company|owner)\s+$|"
    # an earlier incident told beside this one ('過去にはRed HatのGitLabからデータを盗んだとされ')
    r"(?:過去に|これまでに|以前に?)(?:は|も)?[^。、]{0,10}$|"
    # the investigator ('調査を担当したX', 'フォレンジック調査を実施したX')
    r"(?:調査|分析|解析|フォレンジック)(?:を)?(?:担当した|実施した|行った|手がけた)$|"
    # a comparison names an earlier incident, not this one ('the same kind of bug as in X', 'similar to X')
    r"\b(?:same|similar)\s+(?:[\w-]+\s+){0,4}?(?:as|to)\s+(?:(?:in|at|with|on|the)\s+)*$|"
    r"\b(?:similar to|akin to|reminiscent of|echoing|compared (?:to|with))\s+(?:(?:the|an?)\s+)?$|"
    # the attackers' name, where it is also a company's ('the ransomware gang Everest', 'ランサムウェアグループ[[Qilin]]が')
    r"\b(?:ransomware|extortion|hacking|hacker|cybercrime|threat)\s+(?:gang|group|operation|operators?|actors?|crew)\s+"
    r"(?:called\s+|named\s+|known as\s+|dubbed\s+)?$|"
    r"(?:ランサムウ[ェエ]ア(?:グループ|集団|ギャング)|ハッカー集団|攻撃(?:者)?グループ|脅威アクター|犯行グループ)(?:の)?[\[「『]{0,2}$"
)
# 'Mandiant investigating' names the responder; 'Okta investigating claims of breach' is Okta's own incident.
_NOT_ITS_OWN = (
    r"(?!\s+(?:claims?|reports?|screenshots|allegations?|whether|after|its|an?\s+(?:possible\s+|"
    r"potential\s+|suspected\s+)?(?:data\s+)?(?:breach|hack|cyber\w*|security incident|incident)))"
)
MENTIONED_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:researchers?|analysts?|threat intelligence|threat research|threat hunters|unit 42|"
    # its research unit ('Cisco Talos', 'IBM X-Force', 'Zscaler ThreatLabz', 'Check Point Research')
    r"talos|x-force|threatlabz|threat labs?|research (?:team|labs?|unit|group)|research(?=\s*:)|labs? researchers|"
    r"incident response|said in a (?:report|blog)|reported|report(?:ed)? that|warned|discovered|observed|spotted|"
    r"attributed|tracks|is tracking|which (?:acquired|bought|owns)|acquired|bought|, which owns|, the parent|"
    rf"(?:is\s+)?investigating{_NOT_ITS_OWN}|hired|was hired|brought in|called in|engaged|assisting|is assisting|helping|"
    r", its parent|, parent|found that|determined that|concluded that|linked the)\b|"
    # it only describes the victim, which is named after 'known as' ('the X fan forum known as Y')
    # (not the forum software: 'the vBulletin forum for the social engineering site known as AstroPID')
    r"^\s+(?!(?:forums?|boards?|message boards?)\s+(?:for|of)\b)(?:[\w'’-]+\s+){0,5}?(?:forums?|applications?|apps?|"
    r"sites?|websites?|games?|communit(?:y|ies)|"
    r"servers?|groups?|pages?|services?|marketplaces?|boards?)\s*,?\s+(?:known as|called|named|dubbed)\b|"
    # the security product that caught it ('Microsoft Defender for Endpointで検出され')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){1,4}\s*(?:で|により|によって)(?:検出|検知|ブロック|阻止)|"
    r"^(?:社)?(?:の調査|の研究者|の報告|によると|によれば|が報告|が発見|が確認した攻撃|の分析|のレポート|が公開したレポート|"
    # its announcement or statistics cited ('2025年上半期の金融庁発表によると')
    r"の?(?:発表|統計|まとめ)(?:によると|によれば|では)|"
    r"が(?:発表|公表|公開)した[^。、]{0,8}?(?:レポート|報告書|調査結果|調査)|"
    r"が買収|に買収|傘下の|の子会社である|が支援|の支援|が調査を支援|が協力|"
    # the group the victim belongs to, named before it ('トグルホールディングスグループのつくるAI株式会社が')
    r"グループの(?=[^。、]{1,20}?(?:株式会社|社))|"
    # the helper, the reporter ('ラックの協力を得て', 'NTTデータと連携して', '日本経済新聞社の取材に対し', '共同通信によると')
    r"の協力(?:を得|の下|のもと)|と(?:協力|連携)し|の支援を受け|の取材に(?:対し|応じ)|の取材で|が報じ|の報道(?:によると|では|で)|"
    r"が伝え|"
    # a tracker or analyst of the attackers ('マイクロソフトは、この攻撃グループをStorm-0501として追跡している')
    r"(?:の[^。、]{1,20}?)?(?:は|が)[^。]{0,40}?(?:として追跡|を追跡して|と命名|と名付け)|"
    r"(?:の[^。、]{1,20}?)?(?:は|が)[^。]{0,50}?(?:グループ|国家|系|apt\d*)[^。]{0,20}?(?:によるもの|の犯行|の関与)と"
    r"(?:分析|指摘|結論|評価)|"
    # an earlier or other incident the report compares this one with ('昨年のKADOKAWAへの攻撃に続く', 'アサヒやアスクルの被害
    # と同様に', '名古屋港のシステム停止以来'), as 'similar to X' and 'since the X breach'
    r"(?:(?:や|、|と)[^。、]{1,20}?)?(?:への|に対する|の|で(?:起きた|発生した))?[^。、]{0,12}?(?:攻撃|被害|事案|事例|事件|侵害|"
    r"システム停止|障害|漏えい|漏洩|ケース)(?:など)?(?:[^。、]{0,12}?(?:と似|に似|と類似))?(?:に続|以来|と同様|と同じ|を教訓|のように|"
    r"のような|に匹敵|に次ぐ|を上回|と比べ|と比較|で使われた|で知られ)|"
    # the attackers' earlier victim ('KADOKAWAへの攻撃を行ったBlackSuitが、今回も'), its partner in a joint venture
    r"への攻撃を(?:行った|実行した|仕掛けた)[^。]{0,30}?(?:今回も|今回の|再び)|との(?:合弁|共同出資|資本提携|業務提携)|"
    # its share price moving on the news ('取引先の日立製作所の株価も下落した')
    r"の株価|"
    # a researcher observing or reporting others' attacks ('Microsoftは…攻撃の急増を観測している', 'MandiantがSSO悪用攻撃を報告')
    r"(?:は|が)[^。]{0,60}?を観測し|(?:は|が)[^。、]{0,20}?(?:攻撃|キャンペーン|手口|脅威)を報告|"
    # the platform a plugin is for ('WordPressとJoomla用のSmart Slider 3 Proプラグイン'), a customer adopting its product
    # ('ラックのAIゼロフラウドを導入し')
    r"(?:と[^。、]{1,12}?)?(?:用|向け)の[^。、]{0,24}?(?:プラグイン|拡張機能|アドオン|テーマ)|"
    r"の[^。、]{1,20}?を(?:導入|採用)(?:し|した|する)|"
    # its research unit, in Japanese text ('パロアルトネットワークスのUnit 42は')
    r"の\s*(?:unit 42|talos|x-force|threatlabz|threat labs?|research)(?![a-z0-9])|"
    # its warning about someone else's incident, as 'X warned' ('GoogleはSalesloft DriftのOAuth侵害が…と警告し')
    # (not its own contractor's breach it warns its customers of: 'Iberiaがサプライヤー経由の情報漏洩を警告')
    r"(?:は|が)(?![^。]{0,60}?(?:サプライヤー|委託先|取引先|業者|ベンダー|経由))[^。]{0,60}?(?:と|を)警告|"
    # an investigator attributing the attack ('GoogleのMandiantは攻撃をUNC6240に帰属させている'), as 'X attributed'
    r"(?:の[^。、]{1,20}?)?(?:は|が)[^。]{0,30}?に帰属(?:させ|さ|し|す)|"
    # where the data was put out ('…の運営するTelegramで公開された'), as 'posted on X'
    r"(?:上)?(?:で|に)(?:公開|投稿|掲載|販売|拡散|共有)(?:され|し)|"
    # ... with what was posted told between ('脅威アクターがBreachForumsに情報を投稿し'); not 'で…を公開し', which tells a
    # site's own exposure as often ('アクメで個人情報を誤って公開し')
    r"(?:上)?に[^。、]{1,12}?を(?:投稿|掲載|販売|出品)(?:され|し)|"
    # the parent before its subsidiary's name ('関電工子会社の川崎設備工業', 'SOMPOホールディングスの子会社損害保険ジャパン');
    # 'キヤノンの米国子会社が' and '大日精化工業子会社ランサムウェア被害' tell the subsidiary's incident as its own
    r"(?:の)?(?:連結)?(?:子会社|グループ会社|関連会社)(?:の|である|、)?(?=[^\sがはでにを、。])"
    # ... nor an unnamed subsidiary told by what it runs ('BEENOS子会社の運営する海外通販サイトに不正アクセス')
    r"(?!の?(?:ランサム|不正|被害|情報|個人情報|顧客情報|サイバー|攻撃|マルウェア|ウイルス|感染|システム|サーバ|相次|連続|再び|"
    # ... or what it runs named ('Zota Healthcareの子会社プラットフォームの脆弱なAPI')
    r"プラットフォーム|サイト|アプリ|ネットワーク|データ|会員|顧客|従業員|社員|取引先)|"
    r"(?:の|が)?(?:運営|管理|運用|提供|保有|所有)(?:する|している|していた))|"
    # a brand impersonated ('Xを騙るフィッシング', 'Xを装ったメール', 'Xの偽サイト'), or a theme ('X-themed phishing')
    r"を騙[るっ]|をかた[るっ]|を装[うっい]|になりすま[しす]|を名乗[るっ]|の名をかた|の偽(?:サイト|メール|アプリ|ページ|sms))|"
    r"^-?\s*(?:themed|branded)\s+(?:phishing|lures?|scams?|emails?)\b|"
    # the attackers' name, where it is also a company's ('the Everest ransomware gang', '[[Everestランサムウェア]]グループ')
    r"^\s*(?:ランサムウ[ェエ]ア|ransomware)\]{0,2}\s*(?:グループ|集団|ギャング|gang|group|operators?|actors?|crew|cartel)|"
    # a legitimate service the attackers used as their channel, no flaw of it told ('Microsoft Teamsのインフラを悪用して
    # C2通信を隠蔽', 'Google Driveを悪用したサイバー諜報活動'), as its search ads used for a lure are
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){0,3}\s*(?:の)?(?:インフラ|サービス|機能|広告|api|ストレージ)?を悪用(?:して|し|した|する)"
    r"(?![^。]{0,40}?(?:脆弱性|ゼロデイ|cve))[^。]{0,30}?(?:c2|通信|隠蔽|配布|諜報|スパイ|誘導|持ち出|窃取したデータ)|"
    # ... or told as the attacker ('[[Everest]]による大規模なサイバー攻撃を受け')
    r"^\]{0,2}\s*(?:による|が仕掛けた|が実行した)[^。、]{0,15}?(?:攻撃|侵害|犯行|ランサム)|"
    r"^\s+(?:gang|hacking group|hacker group|extortion group|threat actors?|threat group)\b|"
    # the owner of the victim ('The Amazon-owned e-commerce firm', 'the Salesforce-owned cloud platform')
    r"^\s*-\s*(?:owned|backed|controlled)\b|"
    # a security firm telling a new threat aimed at others ('X、国内企業を狙う新たなランサムウェアを確認',
    # 'X spots new malware targeting hospitals'); its own incident would be 被害 or 'attack on its systems'
    r"^(?:社)?(?:、|は|が)[^。]{0,24}?(?:を狙う|を狙った|を標的と(?:する|した)|を標的に(?:した|する))[^。]{0,16}?"
    r"(?:ランサムウェア|マルウェア|攻撃|手口|キャンペーン|脅威|グループ)を(?:確認|発見|観測|検知)|"
    r"^(?:社)?(?:、|は|が)\s*新たな[^。]{0,12}?(?:ランサムウェア|マルウェア|攻撃手法|キャンペーン|手口|脅威)を(?:確認|発見|観測|検知)|"
    r"^\s+(?:spots|uncovers|discovers|observes|detects|details|warns of)\s+(?:a\s+)?(?:new|novel)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:ransomware|malware|campaign|botnet|backdoor|threat|variant|strain|phishing)\b"
)
# A platform or brand the attackers used, not one they attacked, in Japanese; read at every naming (the headline may
# only name it: 'Water CurseによるGitHubアカウント乗っ取り攻撃'): the platform the data was put out on ('Discordサーバー
# 上で流出'), impersonated ('偽のGoogle Playストアを装った', 'Google広告を偽装し'), used to spread or send ('武器化した
# GitHubリポジトリを利用し…マルウェアを配布', 'Microsoft Teamsの通話を利用し、ユーザーを騙して'), a defence switched off
# ('Microsoft Defenderを無効化'), the defender ('Cloudflareの自動防御システムが迅速に攻撃を検知し無効化した'; a victim that
# only detected it, 'Orangeが情報システムへのサイバー攻撃を検知した', tells its own incident).
_LATIN = r"(?:\s*[a-z0-9][a-z0-9.+-]*)"
# Kinds of organisation that make no software, by their registered name's ending or its words.
NOT_A_MAKER = re.compile(
    r"(?:省|庁|局|県|府|都|市|区|町|村|大学|大学校|学校|学園|高校|病院|医院|医療センター|クリニック|委員会|警察|役場)$|"
    r"\b(?:university|college|school|hospital|medical center|health system|county|city of|department of|ministry|police|"
    r"council|government of)\b",
    re.IGNORECASE,
)
# A name written as a web domain ('sonypictures.com', 'autocentrum.pl').
DOMAIN_NAMED = re.compile(
    r"[a-z0-9-]\.(?:com|net|org|info|biz|io|co\.uk|co\.jp|jp|uk|de|fr|pl|ru|cn|br|in|au|nl|it|es)$", re.I
)
# A package registry named as such ('世界最大のソフトウェアレジストリnpmで…パッケージが乗っ取られ'): where the packages are.
REGISTRY_BEFORE = re.compile(
    r"(?:ソフトウェア|パッケージ)レジストリ(?:の|である)?\s*$|\b(?:package|software) registry\s+$"
)
TOOL_AFTER_JA = _compile_runs(
    rf"^{_LATIN}?\s*(?:サーバー|チャンネル|グループ)?上で(?:流出|公開|拡散|共有|販売)|"
    rf"^{_LATIN}{{0,2}}\s*(?:広告|ストア|サイト|ページ|アプリ)?を(?:騙|装|偽装)|"
    # ... or its help desk or service impersonated ('Microsoft Teamsのヘルプデスクを装い', 'Microsoft Teams偽装攻撃')
    rf"^{_LATIN}{{0,2}}\s*(?:の[^。、]{{1,10}}?を(?:騙|装|偽装)|偽装|になりすま)|"
    rf"^{_LATIN}{{0,2}}\s*(?:リポジトリ|ページ|広告|フォーム)?(?:の(?:(?!脆弱性|ゼロデイ|欠陥|トークン|認証情報)[^。、]){{1,20}}?)?"
    r"を(?:利用し|利用して|利用した|悪用し|悪用して|悪用した|"
    r"使用し|使用して|使用した|使って|用いて|用い|経由し)"
    # (... or to hide the attackers' traffic: 'TeamsのTURNサーバーを悪用しC2通信を隠蔽', 'AWSを利用し検知困難な通信を行い')
    r"[^。]{0,40}?(?:配布|送信|誘導|拡散|配信|インストール|フィッシング|詐欺|騙|だま|c2|通信|隠蔽|潜伏|検知(?:を)?回避)|"
    # the channel the lure came through ('Microsoft Teams経由のフィッシング')
    rf"^{_LATIN}{{0,2}}\s*経由(?:の|で)(?:フィッシング|詐欺|マルウェア|なりすまし|偽|情報窃取|配布|拡散)|"
    rf"^{_LATIN}{{0,2}}\s*を無効化|"
    # a package registry, as where the packages were put or taken over ('npmパッケージ', 'npmレジストリに10個の悪意ある
    # パッケージを公開'); the registry's own systems are told as such ('npmのサーバーに不正アクセス')
    r"^\s*(?:パッケージ|レジストリ)|"
    # ... or the platform a product is made for ('Joomla用JCE脆弱性', 'WordPressとJoomla用のSmart Slider 3 Proプラグイン')
    r"^(?:(?:と|や|、|および)[a-z0-9\s.-]{1,15}?)?用の?\s*(?:[a-z0-9]|プラグイン|拡張機能|アドオン)|"
    r"^(?:の[^。、]{0,10}?)?(?:が|は)(?:迅速に)?[^。]{0,16}?攻撃を(?:検知し[^。、]{0,6}?(?:無効化|遮断|阻止|緩和|防)|防御|阻止|緩和)"
)
# The vendor reporting what others did to others, in its own clause ('ESETはロシア関連APTグループの…が…ウクライナの政府機関
# などを標的に…サイバー攻撃を実施したことを報告した'): an attacker's act told (…を標的に, …を狙う, 攻撃を実施, キャンペーン), and
# no word of it suffering one (受け, 被害, 侵害され, 流出, 漏えい) before the clause ends with its report.
REPORTER_CLAUSE_JA = re.compile(
    r"^(?:社)?(?:は|が)(?:(?!受け|被害|侵害され|流出|漏え|漏洩)[^。])*?(?:を標的に|を狙|攻撃を実施|キャンペーン)"
    r"(?:(?!受け|被害|侵害され|流出|漏え|漏洩)[^。])*?(?:ことを|と)(?:報告|発表|公表|明らかに)"
)
# Someone's own account at a consumer service ("an employee's personal Google account", '従業員の個人のGoogleアカウント'):
# where a person's credentials were taken, not the service's product exploited nor its breach.
PERSONAL_BEFORE = re.compile(
    r"(?:\bpersonal|\bprivate|個人の?|私用の?|個人用の?|"
    r"\b(?:an?|the|one)\s+(?:employee|staff member|worker|engineer|developer|administrator)(?:'s|’s))\s*$"
)
ACCOUNT_AFTER_ANY = re.compile(r"^\s*(?:accounts?|アカウント)")
# The source named after what it reported, at the end of the sentence ('..., Mandiant said.').
ATTRIBUTION_BEFORE = re.compile(r",\s*(?:the\s+)?(?:security firm\s+|researchers at\s+)?$")
ATTRIBUTION_AFTER = re.compile(r"^\s+(?:said|says|reported|reports|noted|wrote|added)\s*[.,]?\s*$")

# A denial: the vendor says its own systems were not breached ('X says no evidence its platform was breached',
# 'X denies being hacked'): named by the report, not its victim.
DENIAL_AFTER = re.compile(
    r"^\s+(?:says?|said|insists?|maintains?|stresses|stressed)\s+(?:(?:it|there)\s+(?:has|had|is|was|found)\s+)?"
    r"no (?:evidence|sign|indication)s?\b|"
    r"^\s+(?:denies|denied|refutes|refuted|disputes|disputed|rejects|rejected)\s+(?:\w+\s+){0,3}?"
    r"(?:breach|hack|being hacked|being breached|compromise|claims?|reports?|intrusion)\b|"
    r"^\s+(?:says?|said)\s+(?:that\s+)?(?:its\s+)?(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:was|were|is|are|had|has)\s+not\s+"
    r"(?:been\s+)?(?:breached|hacked|compromised|accessed)\b|"
    r"^(?:社)?(?:は|が|、)?[^。]{0,40}?を(?:強く)?否定|"
    # 'Salesforce開発サーバーの侵害は確認されていない', 'スマレジ自体への不正アクセスは確認されておらず'; not 'no further'
    # intrusion ('追加の不正アクセスは確認されていない' tells one happened)
    r"^(?:(?!追加|新た|新規|他の|さらなる|更なる)[^。、]){0,16}?(?:侵害|不正アクセス|侵入)(?:は|の事実は|の痕跡は)(?:一切)?"
    r"(?:確認されていない|確認されておらず|確認されていません|ありません|認められない|なかった)"
)

# --- affected: a client of the breached party ------------------------------------------------------
_CONTRACTOR_EN = (
    r"(?:third[- ]party\s+)?(?:\w+\s+)?(?:vendors?|contractors?|suppliers?|service providers?|"
    r"subcontractors?|sub-?processors?|business associates?|processors?|partners?|providers?|outsourcers?|"
    r"(?:outsourcing|payroll|printing|mailing|logistics) (?:company|companies|firms?))"
)
CONTRACTOR_JA = (
    r"(?:再委託先|業務委託先|外部委託先|委託先|再委託事業者|委託事業者|委託業者|委託会社|取引先|契約先|保守業者|保守委託先|協力会社|運営委託先|"
    r"提携先|印刷業者|発送業者|配送業者|請負業者|外部業者|(?:正規)?(?:販売)?(?<!航空)(?<!旅行)(?<!広告)代理店|取次店|(?:を|も)?(?:請け負う|担う|受託する)(?:会社|企業|業者)?|"
    # the provider of a tool it uses ('シフト作成ツール提供元の米Blue Yonderに対するサイバー攻撃')
    r"(?:ツール|サービス|システム|ソフト(?:ウェア)?)(?:の)?(?:提供元|提供会社|開発元)|"
    # a third party named by its kind ('第三者サプライヤー経由で顧客の個人情報が漏洩')
    r"(?:第三者|外部)(?:の)?(?:サプライヤー|ベンダー|業者|事業者|サービス提供者|プロバイダー?))"
)
AFFECTED_BEFORE = re.compile(
    rf"{_CONTRACTOR_EN}\s+(?:\w+\s+)?(?:of|to|for|used by|working for|serving|hired by|that (?:serves|works for))\s+"
    r"(?:the\s+|its\s+)?$|"
    r"(?:委託元|発注元|委託者)(?:である|の|、)?$|"
    # the client of a provider told by what it does for it ('Beta Billing, which handles billing for Acme Health')
    r"\b(?:which|that|who)\s+(?:handles|handled|provides|provided|runs|ran|manages|managed|processes|processed|"
    r"operates|operated|hosts|hosted)\s+(?:[\w-]+\s+){0,3}?(?:for|to)\s+(?:the\s+)?$|"
    # ... or by the client's system it runs ("Beta Systems, which runs Acme Health's scheduling software")
    r"\b(?:which|that|who)\s+(?:runs|ran|hosts|hosted|manages|managed|operates|operated|maintains|maintained)\s+$"
)
AFFECTED_AFTER = re.compile(
    rf"^(?:'s|’s|s')\s+(?:\w+\s+){{0,2}}?{_CONTRACTOR_EN}\b|"
    r"^\s+(?:third[- ]party\s+)?(?:contractor|vendor|supplier|subcontractor|service provider|business associate)s?\b|"
    rf"^(?:社|様)?(?:の|が|は|では|、|,|\s)*(?:業務の?)?{CONTRACTOR_JA}|"
    r"^(?:社|様)?(?:が|から|の)(?:業務を?|運用を?|保守を?|発送業務を?|印刷業務を?)?委託(?:して|を受け|した|する|先)|"
    # the project it commissioned ('厚生労働省委託事業に関連し個人情報の漏えい')
    r"^(?:社|様)?(?:の|から(?:の)?)?(?:委託事業|委託業務|受託事業|発注業務)|"
    # the service it uses, told as attacked ('スターバックスが利用するシフト管理SaaSのWorkforce Managementがサイバー攻撃を受け')
    r"^(?:社|様)?(?:が|の)(?:利用する|利用している|利用していた|使用する|使用している|導入している)[^。、]{0,30}?"
    r"(?:saas|クラウド(?:サービス)?|外部サービス)|"
    # ... a tool it uses, told accessed ('スターバックスが利用するシフト作成ツールへの不正アクセスにより')
    r"^(?:社|様)?(?:が|の)(?:利用する|利用している|利用していた|使用する|使用している|導入している)[^。、]{0,20}?"
    r"(?:ツール|システム|サービス)(?:への|に対する|に)(?:不正アクセス|サイバー攻撃|ランサム)|"
    # the system built or run for it ('アクメ向けのシステムを開発・運用するベータ')
    r"^(?:社|様)?向け(?:の)?[^。、]{0,12}?を(?:開発|運用|提供|保守)(?:・(?:開発|運用|提供|保守))*する"
)
# A breach at the client's contractor, told in the vendor's own sentence after its name.
AFFECTED_SENTENCE = re.compile(
    rf"\b(?:at|through|via|of|by|from|in|on|against|targeting|involving|affecting|after)\s+"
    rf"(?:(?:a|an|its|one of its|their|the company's)\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{_CONTRACTOR_EN}\b(?!(?:'s|’s)?\s+(?:credentials|accounts?|logins?|passwords?))|"
    rf"{CONTRACTOR_JA}(?:で|が|の(?!アカウント|認証情報|id|パスワード)|へ|に|における|である|経由|から)|"
    # someone else's incident told as such ('data exposed in a third-party breach', 'a third-party security incident')
    r"\bthird[- ]party\s+(?:data\s+)?(?:breach|incident|security incident|cyber\s?attack|cyber incident|compromise|"
    r"hack|ransomware attack|data exposure)\b|"
    # the contractor told by what it does, right before its name ('、帳票の発送を請け負うイセトーが')
    r"を(?:請け負う|担う|受託する)(?=[^\s、。がはをにでのと]{2})"
)
# A name marked as the contractor itself: breached, whoever its client is.
CONTRACTOR_BEFORE = re.compile(
    # '取引先の日立製作所' names a business partner, as often a client as a contractor: not marked as the contractor
    rf"(?:(?<!取引先){CONTRACTOR_JA}(?<!取引先)(?:である|の|、|\s)*(?:米国?|英国?|独|仏|中国|韓国|台湾|豪州?|カナダ)?(?:株式会社)?|"
    r"(?:を|も)(?:請け負う|担う|受託する|任されている)|"
    # the provider of the system the client runs on ('システムを提供するベータがランサムウェア攻撃を受けた')
    r"(?:システム|サービス|ソフトウェア|クラウド|基盤)を提供(?:する|している)|"
    r"(?:contractor|vendor|supplier|service provider|subcontractor|"
    # with its abbreviation ('the covered entity's business associate (BA), MedAssets'), or told by its trade ('its
    # billing company, Beta Billing')
    r"business associate|provider|(?:outsourcing|payroll|printing|mailing|logistics|billing|collections?|marketing|"
    r"hosting) (?:company|firm|agency))s?\s*(?:\([^()]{1,12}\)\s*)?,?\s*)$"
)
CONTRACTOR_AFTER = re.compile(
    # told in apposition ('Zellis, a payroll provider'); not a partner programme's label ('Acme, a Microsoft partner')
    rf"^(?:,\s*|\s*\(|\s*（)(?:a|an|the|its|which is (?:a|an))?\s*(?:\w+\s+){{0,2}}?{_CONTRACTOR_EN}(?<!partner)(?<!partners)\b|"
    rf"^(?:社)?(?:\(|（){CONTRACTOR_JA}|"
    # told by what it provides, with a word between ('the ActiveCampaign email marketing service provider'); 'the
    # Zurich contractor' is Zurich's contractor
    r"^\s+(?:[\w-]+\s+){1,3}?(?:service provider|provider)\b"
)

# --- product: the way in, or what is being exploited -----------------------------------------------
_PRODUCT_WORDS = (
    r"vulnerabilit(?:y|ies)|flaws?|zero[- ]days?|0-?days?|bugs?|cve-\d|exploits?|exploited|"
    r"remote[- ]access (?:portal|tool|service)s?|"
    r"exploitation|vpns?|appliances?|gateways?|firewalls?|plugins?|plug-ins?|extensions?|"
    r"software|routers?|(?:forum|cms|file[- ]transfer|remote[- ]access) (?:software|platform)|"
    r"security hole|backdoor(?:ed)?|trojani[sz]ed|supply[- ]chain attack|"
    # a flaw told by its kind ('X RCE', 'X auth bypass')
    r"rce|remote code execution|auth(?:entication)? bypass|sql injection|sqli|privilege escalation"
)
# Words that end the name's own clause: a product word after them is someone else's ('Aflac breached after
# hackers exploited a flaw in Fortinet's FortiOS' is Aflac's breach, not its product).
_CLAUSE_END = (
    r"(?!(?:breached|hacked|hit|suffered|suffers|says|said|confirms|confirmed|discloses|disclosed|"
    r"reports|reported|was|is|has|had|after|when|by|as|because|following|via|through|to|and|"
    # an agency or a researcher acting on someone else's flaw ('CISA adds Ivanti flaw to KEV catalog')
    r"adds|added|urges|urged|orders|ordered|lists|listed|flags|flagged|tracks|tracked)\b)"
)
PRODUCT_AFTER = _compile_runs(
    # named later as the platform or software the victim used ('X was later named as the platform')
    r"^\s+(?:was|is|has been|had been|were)\s+(?:later\s+|since\s+|also\s+|subsequently\s+|then\s+)?"
    r"(?:named|identified|confirmed|revealed|reported|disclosed)\s+as\s+(?:the|a|its|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:platform|software|product|tool|app|application|service|provider's platform)\b|"
    # the vendor's own advisory about its product ('Progress Software warns of critical MOVEit Transfer flaw')
    # ('Microsoft Patch Tuesday fixes three zero-days', 'Apple quietly patches…'), or its plea to patch ('SonicWall urges
    # customers to patch flaw under attack')
    r"^\s+(?:urges?|urged|tells|told|asks|asked)\s+(?:customers|users|admins|administrators)\s+to\s+(?:patch|update|fix)\b|"
    rf"^\s+(?:[\w-]+\s+){{0,2}}?(?:warns?|warned|patches|patched|fixes|fixed|discloses|disclosed|releases|released|issues|issued)\s+"
    rf"(?:of\s+|about\s+|fixes? for\s+|patch(?:es)? for\s+)?(?:{_WORD}\s+){{0,5}}?(?:{_PRODUCT_WORDS})\b|"
    rf"^(?:'s|’s)?\s*(?:{_CLAUSE_END}{_WORD}\s+){{0,4}}?(?:{_PRODUCT_WORDS})\b|"
    r"^(?:社)?(?:製|の製品|製品)|"
    # the system it built for the victim ('富士通が開発した業務システムがランサムウェアに感染'); not a service it runs
    # itself ('が提供する…に不正アクセス', a breach at it: PLACE_AFTER)
    r"^(?:社)?が(?:開発|構築|納入)した[^。、]{0,10}?(?:システム|ソフトウェア|ソフト|製品|アプリ)(?:が|に|を|の|へ)|"
    r"^(?:社)?(?:\s*[a-z0-9][\w.+-]*){0,3}\s*の(?!sql|xss|クロスサイト|設定)[^。、]{0,16}?(?:の)?(?:脆弱性|ゼロデイ)(?:を悪用|が悪用|を突|を狙|の悪用)|"
    # its product's flaw ('NetScalerの脆弱性', 'のメールゲートウェイにゼロデイ'), it exploited ('VSAを悪用した'), a flaw
    # targeting it ('EPMM狙う脆弱性'), its app or update poisoned ('のデスクトップアプリにマルウェア')
    r"^(?:社)?(?:\s*[a-z0-9][\w.+-]*){0,3}\s*(?:製品)?の(?:[^。、]{0,12}?(?:の|に|で))?(?:脆弱性|ゼロデイ)|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*(?:を悪用|悪用の|(?:を)?狙う[^。、]{0,6}?(?:脆弱性|ゼロデイ))|"
    # its flaw compounded with the name ('X重大脆弱性', 'X旧脆弱性悪用'), or it exploited ('X悪用攻撃'); not 'Xで脆弱性を
    # 突かれ' or 'Xに脆弱性を突いた攻撃', where で and に mark the place attacked
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*(?:製品)?(?:深刻な?|重大な?|緊急の?|未修正の?|新たな|複数の|旧|新)?(?:脆弱性|ゼロデイ)|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*悪用(?:した|する|攻撃|し)|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*の[^。、]{0,8}?(?:アプリ|アップデート|インストーラー|ソフトウェア|製品)(?:に|が)"
    r"(?:マルウェア|バックドア|改ざん)|"
    # the victim's site or data on the platform ('EC-CUBEで構築した', 'Salesforce上の', 'のワークスペースから')
    r"^(?:で構築|を使って構築|を利用して構築|上の|上に|上で|のワークスペース|のアカウント|のインスタンス|の環境から|"
    r"の設定ミス|の設定不備|の設定の不備)|"
    r"^(?:社)?の(?:vpn|ファイアウォール|ルーター|ファイル転送|製品|ソフトウェア|アプライアンス|リモートアクセス|リモートデスクトップ|rdp)"
)
# The victim's own copy ('its vBulletin'); away from the matched naming only with what it is ('through its
# on-premises Microsoft Exchange server', not 'its Change Healthcare subsidiary').
OWNED_BEFORE = re.compile(
    r"\b(?:its|their|the victim's|the company's|customers?'?)\s+(?:own\s+)?(?:on-premises\s+|"
    r"self-hosted\s+|internet-facing\s+|unpatched\s+|vulnerable\s+)?(?:an?\s+|the\s+)?"
    r"(?:outdated\s+|old\s+)?$"
)
OWNED_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+)?(?:servers?|instances?|software|appliances?|installations?|deployments?)\b"
)
# Japanese product cues, read at every naming of the vendor (the headline often only compounds the name with the
# event: 'NHSがOracle EBSの侵害を調査中', the text tells the flaw: 'OracleのE-Business Suiteの脆弱性を突いた'):
# - its products or devices, their flaw ('Fortinet FortiWebの重大脆弱性', 'SonicWallのSSL VPN機器が侵害され');
# - an attack aimed at it ('Oracle E-Business Suiteを狙ったサイバー攻撃を受け', 'Salesforceを標的とした一連の攻撃');
# - its plugin, app or installer poisoned or flawed ('GravityFormsプラグインに悪意あるコードが注入');
# - the victim's installation of it ('GoogleのSalesforce CRMインスタンス', '複数社Salesforce環境へ').
PRODUCT_AFTER_JA = _compile_runs(
    r"^(?:社)?(?:\s*[a-z0-9][\w.+-]*){0,3}\]{0,2}\s*(?:製品)?の(?:深刻な?|重大な?|緊急の?|未修正の?|新たな|複数の)?"
    # ... with a word on what the flaw does ('Giteaの認証バイパス脆弱性'; not 'の研究者が発見した脆弱性')
    # (not a flaw of the victim's own site: 'Luxury EscapesのSQLインジェクション脆弱性を悪用し…データベースを流出')
    r"(?:(?!sql|xss|クロスサイト|設定|api)[ァ-ヶー一-龥a-z0-9\s・-]{1,10}?)?(?:脆弱性|ゼロデイ)|"
    r"^(?:社)?の(?:\s*[a-z0-9][\w.+-]*){1,4}\s*(?:の|に)(?:深刻な?|重大な?|新たな|複数の)?(?:脆弱性|ゼロデイ)|"
    r"^(?:社)?(?:の)?(?:\s*[a-z0-9][\w.+-]*){0,3}\s*(?:製品|機器|装置|アプライアンス)(?:に|が|を|の|へ|で|から)|"
    # ... also named in katakana run together with it ('Ciscoメール機器に'), or its product after の ('シスコのメール
    # セキュリティ製品に'); not 'Xのネットワーク機器に', the victim's own equipment as often
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*|[ァ-ヶー]{2,8}){1,3}\s*(?:製品|機器|装置|アプライアンス)(?:に|が|を|の|へ|で|から)|"
    r"^(?:社)?の(?:[ァ-ヶー]{2,8}\s*){1,3}製品(?:に|が|を|の|へ|で)|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*を(?:狙っ?た|狙う|標的と(?:した|する)|標的に(?:した|する))[^。]{0,20}?攻撃|"
    # ... its product named after の, in Latin, as the attack's target ('マイクロソフトのAzure CLIを対象に…パスワードスプレー攻撃');
    # not a kind of system any victim has ('アクメのVPNを狙った攻撃')
    r"^の(?!(?:vpn|erp|nas|pc|web|ec|crm|sns|it|ot|ai|api|os|db|dns|rdp|ssl|sql|wi-?fi)(?![a-z0-9]))(?:\s*[a-z][a-z0-9.+-]*){1,3}\s*を"
    r"(?:対象に|対象と(?:した|する)|狙っ?た|狙う|標的と(?:した|する)|標的に(?:した|する))[^。]{0,30}?攻撃|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,3}\s*(?:の)?(?:プラグイン|拡張機能|アプリ|ライブラリ|パッケージ|インストーラー?)(?:に|が)"
    r"[^。]{0,20}?(?:悪意|マルウェア|バックドア|改ざん|脆弱性)|"
    r"^(?:\s*[a-z0-9][\w.+-]*){0,2}\s*(?:の)?(?:インスタンス|環境|テナント|crm)|"
    # a flaw affecting its product ('Microsoftのオンプレミス版Exchange Serverに影響する新たな脆弱性'), its product named in Latin
    # abused ('マイクロソフトのAzure CLIとOAuthを悪用した…攻撃'; not a kind of system any victim has, 'アクメのVPNを悪用')
    r"^の[^。、]{0,30}?に影響(?:する|を与える)[^。、]{0,10}?(?:脆弱性|ゼロデイ)|"
    r"^の(?!(?:vpn|erp|nas|pc|web|ec|crm|sns|it|ot|ai|api|os|db|dns|rdp|ssl|sql|wi-?fi)(?![a-z0-9]))(?:\s*[a-z][a-z0-9.+-]*){1,4}\s*"
    # (... or a feature of it, 'のAzure CLIとOAuthを悪用', 'のTeams通話機能を悪用'; not the victim's flaw, 'のSQLインジェクション脆弱性を悪用')
    r"(?:(?:と|や|および)(?:\s*[a-z][a-z0-9.+-]*){1,3}\s*)?(?:(?!脆弱性|欠陥|ゼロデイ|インジェクション|設定)[ァ-ヶー一-龥]){0,10}を悪用|"
    # its devices counted by the thousand ('Fortinetのファイアウォール約73932台が…侵害された', 'ASUSの旧型ルータを狙い…約五万台の
    # 機器を乗っ取った'): its product, whoever owns them
    r"^(?:の)?[^。、]{0,8}?(?:ルータ|ルーター|ファイアウォール|機器|装置|デバイス|カメラ|nas)[^。]{0,30}?"
    r"(?:約|計|およそ)?[\d,.一二三四五六七八九十百千万]+(?:万)?台|"
    # its installer, agent or client abused ('ScreenConnectインストーラー悪用攻撃')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){0,2}\s*(?:インストーラー?|エージェント|クライアント)(?:を|の)?悪用|"
    # its firewall, router or VPN named right after it ('ソニックウォールファイアウォールへの攻撃'; not 'アクメのファイアウォール')
    r"^(?:ファイアウォール|ルーター)(?:装置|機器|製品)?(?:に|が|を|の|へ|で|vpn|攻撃)|"
    # an account on its product named with the product ('Microsoft 365アカウントが不正アクセスを受け')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){1,2}\s*アカウント|"
    # its storage or forms service ('Googleドライブの共有設定ミス'), a share made on it ('Boxの共有リンク', 'Boxで共有していた')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){0,2}\s*(?:ドライブ|ストレージ|フォーム)(?:の|で|に|上)|"
    r"^(?:の|で|上で)(?:共有|公開)(?:リンク|設定|フォルダ|して|していた|され|した)|"
    # an example of a kind of platform or product ('WorkdayなどのHR SaaSプラットフォームを狙い')
    r"^(?:など|等|といった|のような)(?:の)?[^。、]{0,16}?(?:プラットフォーム|saas|クラウドサービス|ソフトウェア|製品)|"
    # the victim's software told as such ('バックアップにVeeamを使用していた'), its servers or devices running it ('VMware
    # ESXiサーバーが暗号化され'), its cloud holding the victim's data ('グーグルのクラウドサービス上に保存していた')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){0,2}\s*を(?:使用|利用|導入|採用)(?:して|し|する|した)|"
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){1,2}\s*(?:サーバー?|ホスト|仮想(?:化)?基盤|nas|機器|アプライアンス)(?:が|を|に|の|へ|で)|"
    r"^(?:の)?(?:クラウド(?:サービス)?|ストレージ|プラットフォーム)上(?:の|に|で)|"
    # its product, named in Latin after it, exploited further on in the sentence ('Microsoft EdgeのIEモードの互換性機能が
    # 悪用され', 'Oracle E-Business Suiteの[[CVE-2025-61882]]のゼロデイ脆弱性を悪用', 'SalesforceのExperience Cloudの設定を悪用')
    r"^(?:の)?(?:\s*[a-z0-9][a-z0-9.+-]*){1,4}\s*(?:プラットフォーム|サービス|アプリ|エージェント)?の[^。]{0,40}?"
    r"(?:を悪用|が悪用|の悪用|悪用され|を突)|"
    # its operating system's or product's devices ('Apple macOS端末に感染させる')
    r"^(?:\s*[a-z0-9][\w.+-]*){1,3}\s*(?:端末|デバイス|搭載)|"
    # its own advisory about a flaw, as 'X warns of ... flaw' ('SonicWallが新たなゼロデイの可能性を調査中', 'Ciscoが脆弱性を修正')
    r"^(?:社)?(?:が|は|、)?[^。]{0,30}?(?:脆弱性|ゼロデイ)(?:悪用)?(?:の可能性)?(?:[\s\[(（]*cve-[\d-]+[\])）]*)?(?:を|の)?(?:緊急)?"
    r"(?:修正|調査|公表|公開|警告|確認|注意喚起)|"
    # its own update for a flaw ('アップルは、iOSの脆弱性が悪用された可能性があるとして緊急アップデートを公開した')
    r"^(?:社)?(?:は|が)、?[^。]{0,50}?(?:脆弱性|ゼロデイ)[^。]{0,40}?(?:アップデート|更新プログラム|パッチ|修正版|"
    r"セキュリティ更新)を(?:公開|配布|リリース|提供)|"
    # ... or told as fixed by its update ('Microsoftは2025年6月の更新で修正済みだが、攻撃は継続中である')
    r"^(?:社)?(?:は|が)、?[^。]{0,30}?(?:更新|アップデート|パッチ|修正プログラム)で(?:修正|対処)|"
    r"^(?:社)?(?:は|が)、?[^。]{0,30}?(?:修正パッチ|セキュリティパッチ|修正プログラム|セキュリティ更新|セキュリティアップデート)を"
    r"(?:公開|配布|リリース|提供)|"
    # its system as the way the data was reached ('[[ANDES]]システムを通じて…記録が漏洩'; not a lure's channel, 'Discordを通じて
    # 配布', nor a provider whose breach it was, 'Anodot経由で情報漏洩')
    r"^\]{0,2}\s*(?:システム|アプリ|プラットフォーム|ツール|ポータル)(?:を通じて|を通して|経由で|経由して)"
    r"[^。]{0,40}?(?:漏えい|漏洩|流出|不正アクセス|侵入|窃取|盗まれ)|"
    # its exploitation, or its product's ('Citrix Bleed 2の悪用が拡大')
    r"^(?:\s*[a-z0-9][a-z0-9.+-]*){0,3}\s*の悪用|"
    # its product's flaw compounded ('Palo Alto NetworksのPAN-OS脆弱性', 'CiscoのIOS XE脆弱性悪用')
    r"^(?:社)?の(?:\s*[a-z0-9][a-z0-9.+-]*){1,3}\s*(?:深刻な?|重大な?|緊急の?|未修正の?|新たな|複数の)?(?:脆弱性|ゼロデイ)"
)
# The victim's system or records on the platform, named after the victim's の ('Allianz LifeのSalesforceシステムから').
POSSESSED_BEFORE_JA = re.compile(
    r"[^\s、。]の(?:従業員|社員|職員|スタッフ|[^\s、。のがは]{1,10}?(?:用|向け)の?)?$|"
    # several or some of them ('ユタカ電業の複数Chatworkアカウントが不正アクセスを受けた')
    r"[^\s、。]の(?:複数の?|一部の?|全ての?|各)$|"
    # an account or repository on it kept for a use ('CAMPFIREは…システム管理用GitHubアカウントが不正アクセスされた')
    r"(?:管理|業務|開発|運用|社内|公式)用の?$|"
    # ... or one the victim manages ('つくるAI株式会社が管理するAWSアカウントに')
    r"(?:が|の)(?:管理|運用|利用|保有|契約)(?:する|している|していた)$"
)
SYSTEM_AFTER_JA = _compile_runs(
    r"^(?:\s*[a-z0-9][\w.+-]*){0,2}?\s*(?:公式|管理者|業務用|法人)?(?:システム|アカウント|記録|データベース|データ|認証情報|リポジトリ|"
    r"トークン|アクセスキー|(?:専用)?サーバー?|"
    r"apiキー|シークレット)|"
    # the victim's installation attacked through its own flaw ('沖縄総合事務局のFileZenに対し…脆弱性を悪用した不正アクセス')
    r"^\s*(?:に対し(?:て)?|への)[^。]{0,40}?(?:脆弱性|ゼロデイ)[^。]{0,20}?(?:を悪用|悪用|を突)|"
    # the site or store it runs, named right after it ('アクメのWordPressサイト'; not the brand's 'ECサイト')
    r"^(?:サイト|ストア|インスタンス|テナント|(?:スタッフ|従業員|社員|管理者|公式)?アカウント)"
)
# Read where the vendor is named again, away from the matched naming: the product word right after it.
PRODUCT_AFTER_NEAR = re.compile(rf"^(?:'s|’s)?\s*(?:{_CLAUSE_END}{_WORD}\s+){{0,2}}?(?:{_PRODUCT_WORDS})\b")
PRODUCT_BEFORE = re.compile(
    rf"(?:vulnerabilit(?:y|ies)|flaws?|bugs?|zero[- ]days?|weakness(?:es)?|security holes?|cve-[\d-]+|exploits?|"
    rf"injection)\s+{_GAP}(?:in|on|of|affecting|impacting|within|found in)\s+(?:the\s+|its\s+|their\s+|a\s+|an\s+)?"
    rf"(?:{_WORD}\s+){{0,2}}?$|"
    rf"(?:exploit(?:s|ed|ing)?|exploitation of|abus(?:e|es|ed|ing)|weaponi[sz](?:ed|ing)|targeting|compromised|unpatched|"
    rf"vulnerable|misconfigured|outdated|trojani[sz]ed|poisoned|backdoored|malicious|tampered)\s+"
    rf"(?:(?:a|an|the|its|their|several|multiple|unpatched|vulnerable|internet-facing|on-premises)\s+)*"
    rf"(?:(?:versions?|instances?|installations?|deployments?|copies|updates?|builds?) of\s+)?$|"
    rf"(?:(?:old|outdated|vulnerable|unpatched|legacy)\s+)?versions? of\s+$|"
    # the data kept on the platform ('targeted data on Salesforce')
    rf"\b(?:data|records|information)\s+(?:stored\s+|held\s+|hosted\s+)?on\s+$|"
    # a poisoned update ('hid a backdoor in updates to the SolarWinds Orion software')
    rf"\b(?:backdoors?|malware|malicious code)\s+(?:in|into)\s+(?:\w+\s+)?(?:updates?|builds?|versions?|installers?)\s+"
    rf"(?:to|of|for)\s+(?:the\s+|its\s+)?$|"
    rf"(?:\b(?:running|powered by|built on|based on|hosted (?:on|in|by|within)|stored (?:on|in|within)|kept (?:on|in|within)|"
    rf"held (?:in|on|by|within))\s+|"
    rf"(?:running|run|built|hosted) on\s+(?:an?\s+)?(?:old\s+|outdated\s+)?(?:version of\s+)?)"
    rf"(?:an?\s+|the\s+)?(?:outdated\s+|old\s+)?$|"
    rf"(?:via|through|by way of|using)\s+(?:a|an|the|its|their)?\s*(?:compromised|stolen|vulnerable|unpatched|"
    rf"misconfigured|trojani[sz]ed|poisoned|malicious)\s+(?:\w+\s+)?$|"
    r"(?:を悪用|脆弱性を突|脆弱性が悪用)$|"
    # named among the platforms the data was taken from ('exfiltrated from platforms including X, Y and Z'), or as
    # a copy of the software the data sat in ('exposed in a MongoDB')
    r"\bplatforms?\s+(?:including|such as|like)\s+(?:[\w.&-]+(?:\s+[\w.&-]+){0,2}?\s*(?:,|\band\b)\s*)*$|"
    r"\b(?:exposed|left open|left unprotected|publicly accessible)\s+(?:in|on)\s+an?\s+(?:open\s+|unsecured\s+|"
    r"unprotected\s+|misconfigured\s+|public\s+)?$|"
    # the victim's own installation ('Red Hatの自社運用GitLabに不正アクセス'), as 'its self-hosted X'
    r"(?:自社運用|自社で運用する|自社管理|自社サーバー上|オンプレミス(?:版|環境)?)(?:の)?$|"
    # the way in ('Hackers breach Acme Health through Slack'), the name right after 'through' or 'via'
    r"\b(?:breach(?:ed|es)?|hack(?:ed|s)?|compromise[sd]?|infiltrate[sd]?|attack(?:ed|s)?|access(?:ed)?|hit)\s+"
    r"(?:[\w&.'’-]+\s+){0,4}?"
    r"(?:through|via)\s+(?:a\s+|an\s+|the\s+|its\s+|their\s+)?$|"
    # the platform a site runs on, in parentheses after it ('公式サイト(WordPress)が改ざん')
    r"(?:サイト|ページ|ストア|システム|サーバー?)\s*[(（]$|"
    # a misconfigured installation ('設定の不備でXが')
    r"(?:設定(?:の)?(?:不備|ミス)|誤設定)(?:で|により|によって|があった|のあった)$|"
    # the kind of tool the victim runs it as ('日本経済新聞社は業務用チャットSlackへの不正ログインを確認した')
    r"(?:業務用|社内|社内用)の?(?:チャット(?:ツール)?|コミュニケーションツール|ツール|クラウドストレージ|ストレージ)$"
)
# Its devices or products, right after the name ('Hackers hijack SonicWall firewall devices', 'Cisco products').
DEVICES_AFTER = re.compile(r"^\s+(?:[\w-]+\s+)?(?:devices|products|endpoints|equipment)\b")
# An installation reachable without logging in ('Xがインターネットから認証なしで接続できた', 'an X cluster left open
# without a password'): software, not an organisation.
OPEN_WITHOUT_AUTH = re.compile(
    r"^(?:が|に|へ|は)[^。、]{0,15}?(?:認証|パスワード)(?:なし|不要|なく|を設定せず)で?(?:接続|アクセス|閲覧)|"
    r"^\s+(?:[\w-]+\s+)?(?:was|were|had been|is|are|left)\s+(?:left\s+)?(?:open|exposed|accessible|reachable)\s+"
    r"(?:to (?:the|anyone on the) (?:internet|public|web)\s+)?without (?:a\s+|any\s+)?(?:password|authentication)"
)
# The victim's own installation of a platform ('Ticketmaster's Snowflake account', 'its Salesforce instance').
PLATFORM_AFTER = re.compile(
    r"^\s*(?:(?:and|&|or)\s+[a-z0-9][\w.-]*\s+)?(?:[a-z0-9][\w.-]*\s+)?(?:accounts?|hosts|instances?|environments?|databases?|buckets?|tenants?|workspaces?|installations?|"
    r"servers?|storage|forum|site|deployment|customer portal|repositor(?:y|ies)|repos|stores?|storefronts?|shops?|"
    r"checkout(?: pages?)?|drives?|folders?|infrastructure)\b"
)
# The victim's installation of a product, told with an article ('the vBulletin forum', 'a MongoDB database',
# 'their IP.Board based forum', 'an Elasticsearch instance').
INSTALLATION_BEFORE = re.compile(
    r"\b(?:a|an|the|their|its|his|her|our)\s+(?:old\s+|outdated\s+|public\s+|"
    r"unsecured\s+|exposed\s+|unprotected\s+|misconfigured\s+)?$"
)
INSTALLATION_AFTER = re.compile(
    r"^(?:\s*-?\s*based\b|\s*-?\s*powered\b|\s+(?:forums?|message boards?|bulletin "
    r"boards?|boards?|instances?|clusters?|repositor(?:y|ies)|buckets?|installations?|"
    r"databases?|plugins?|themes?)\b)"
)
# The way in through a platform account the victim holds ('data breach via Snowflake account').
THROUGH_BEFORE = re.compile(r"\b(?:via|through|from|using)\s+(?:(?:a|an|the|its|their|one of its)\s+)?$")
ACCOUNT_AFTER = re.compile(
    r"^\s*(?:customer\s+)?(?:accounts?|instances?|tenants?|environments?|workspaces?|"
    r"credentials|logins?)\b"
)
POSSESSIVE_BEFORE = re.compile(
    r"(?:'s|’s|s'|\bits|\btheir|\bthe victim's|\bwhose)\s+(?:(?:private|internal|public|corporate|own|official|"
    r"on-premises|self-hosted|internet-facing|unpatched|vulnerable|outdated)\s+)?"
    # what the installation serves ('its consulting GitLab instance', "the firm's engineering Jira workspace")
    r"(?:(?:consulting|engineering|development|developer|support|sales|marketing|hr|it|test|testing|staging|production|"
    r"legacy|main|primary|cloud)\s+)?"
    # ... named in a pair ("data obtained from Baker's SharePoint and Salesforce infrastructure")
    r"(?:[a-z0-9][\w.-]*\s+(?:and|&|or)\s+)?$"
)
# The owner of what is named after it ("flaws on Acme Health's on-premises Exchange servers"): the victim, not the
# maker of the flawed product.
OWNER_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:servers?|systems?|network|hosts?|instances?|environment|infrastructure|"
    r"devices|appliances?|endpoints)\b"
)
# An exposed installation ('an exposed Elasticsearch server'), the platform's customer accounts ('Snowflake customer
# accounts'), its customers targeted as such ('Snowflake customers targeted', 'Snowflakeの顧客を狙った攻撃').
EXPOSED_BEFORE = re.compile(
    r"\b(?:exposed|unprotected|unsecured|misconfigured|open|unpatched|vulnerable|"
    r"on-premises|publicly accessible)\s+$"
)
SERVER_AFTER = re.compile(r"^\s+(?:servers?|instances?|databases?|clusters?)\b")
CUSTOMERS_TARGETED = re.compile(
    r"^\s*customer\s+(?:accounts?|instances?|tenants?|environments?)\b|"
    r"^(?:'s|’s)?\s*(?:direct\s+)?(?:customers?|users?|clients?)\s+(?:\w+\s+){0,2}?"
    r"(?:targeted|attacked|hit|compromised)\b|"
    r"^(?:の)?(?:顧客|利用者|利用企業|ユーザー)を(?:狙|標的)"
)
# A campaign named after the product it goes through, hitting many organisations ('MOVEit victims', 'Snowflake
# attacks hit 165 organisations', 'the Citrix Bleed hacks'): the plural or the victims say it is not one breach at it.
CAMPAIGN_AFTER = re.compile(
    r"^\s+(?:(?:hack(?:ing)?|attack|exploitation|extortion|campaign)s?\s+)?victims\b|"
    r"^\s+(?:[\w-]+\s+)?(?:attacks|hacks|breaches|intrusions|(?:hacking|attack|data[- ]theft|extortion|exploitation)\s+"
    r"campaign)\s+(?:(?:have|has)\s+)?(?:hit|hits|affected|affect|affects|impacted|impact|reached|reach|spread|"
    r"claimed|claim|ensnared)\b|"
    # one campaign through it ('the Snowflake data-theft campaign', 'the MOVEit hacking spree')
    r"^\s+(?:[\w-]+\s+)?(?:data[- ]theft|hacking|extortion|exploitation|mass[- ]exploitation|mass[- ]hacking)\s+"
    r"(?:campaign|spree|wave)\b"
)
# A report that the product is being exploited (a headline with no breach at any one organisation).
_EXPLOITED = re.compile(
    r"\b(?:actively exploited|exploited in the wild|under (?:active )?(?:attack|exploitation)|backdoored|"
    r"mass[- ]exploit\w*|exploit(?:s|ed|ing)|zero[- ]days?|exploitation|being exploited|zero[- ]days? exploited|exploited zero[- ]day|"
    r"known exploited|hackers exploit\w*|attackers exploit\w*|exploit\w* (?:flaw|bug|vulnerabilit\w*)|"
    r"used in (?:[\w-]+\s+){0,2}?attacks|abus(?:ed|ing) (?:a |the )?(?:[\w-]+\s+){0,2}?(?:flaw|bug|vulnerabilit\w*))\b|"
    # not what could be ('悪用される恐れがあった'), nor how a flaw works ('検索パスを悪用し権限昇格を許す')
    r"悪用を確認|悪用が確認|悪用され(?!る(?:恐れ|おそれ|可能性|危険)|ると|れば|た場合)|悪用した攻撃|ゼロデイ|"
    r"を悪用(?!し[^。]{0,20}?(?:を許す|を可能に|が可能|可能とな|できる))|悪用して|"
    r"が悪用(?!される(?:恐れ|おそれ|可能性|危険)|されると|された場合)|(?:脆弱性|ゼロデイ)悪用|の悪用が(?:拡大|急増|続)|"
    # an attack aimed at a flaw ('EPMM狙う脆弱性', '脆弱性を突く攻撃', '脆弱性連鎖攻撃')
    r"(?:狙う|狙った|突く|突いた)(?:脆弱性|ゼロデイ)|(?:脆弱性|ゼロデイ)を(?:狙|突)|(?:脆弱性|ゼロデイ)(?:連鎖)?攻撃|"
    # attacks seen on a flaw or on the devices ('脆弱性…攻撃が確認されている', 'FortiGate機器に対する…攻撃')
    r"(?:脆弱性|ゼロデイ)[^。]{0,60}?攻撃(?:が|を)確認|(?:機器|製品)に対する[^。]{0,30}?攻撃|"
    # attacks going on after the fix ('Microsoftは6月の更新で修正済みだが、攻撃は継続中である')
    r"攻撃(?:は|が)(?:継続|続い|拡大し|相次い)"
)

# ... unless it says none was seen ('not aware of exploits in the wild', '悪用は確認されていない').
_NOT_EXPLOITED = re.compile(
    r"\b(?:not aware of|no (?:evidence|reports?|indication|sign)s? of|unaware of)\s+(?:any\s+)?(?:active\s+)?"
    r"(?:exploits?|exploitation|attacks|abuse)\b|\b(?:has|have|had) not been (?:exploited|abused)\b|"
    r"悪用(?:は|の報告は|事例は|の事実は|された事実は)(?:確認されていない|確認されておらず|ない|報告されていない)|悪用報告はない"
)


def tells_exploited(text: str) -> bool:
    """Whether a lower-case text tells a product exploited, and does not say that none was seen."""
    return bool(_EXPLOITED.search(text)) and not _NOT_EXPLOITED.search(text)


# Where the breach itself is told: at the vendor ('東山産業にランサムウェア攻撃', 'Plumeで情報漏えい', 'data stolen
# from Red Hat systems', 'Zellis said its MOVEit server was compromised').
PLACE_AFTER = re.compile(
    r"^(?:社)?(?:に(?:ランサム|サイバー|不正)|へ(?:の)?(?:ランサム|サイバー|不正|攻撃)|で(?:情報漏えい|情報漏洩|不正アクセス|ランサム|"
    r"個人情報)|が(?:ランサム|不正アクセス|サイバー攻撃|攻撃を受け|被害)|の(?:サーバー?|システム|データサーバー|ネットワーク|端末|pc)"
    r"(?:が|に|から|へ|で))|"
    r"^(?:社)?(?:の)?(?:ランサム|不正アクセス|サイバー攻撃|情報漏え?い|情報漏洩|個人情報漏え?い)|"
    # its tool, system or service told accessed ('ブルーヨンダーのシフト作成ツールに不正アクセスが発生し')
    r"^(?:社)?の[^。、]{0,12}?(?:ツール|システム|サーバー?|サービス|プラットフォーム|環境|ネットワーク)(?:に|へ|が)"
    r"[^。、]{0,6}?(?:不正アクセス|侵入|サイバー攻撃|ランサム)|"
    # an attack told with a word or two on it ('が大規模なランサムウェア攻撃を受けた')
    r"^(?:社)?が[^。、]{1,10}?(?:ランサムウ[ェエ]ア|サイバー|不正アクセス|ddos)[^。、]{0,8}?(?:を受け|の被害)|"
    # ... as its subject ('アスクルは2025年10月にランサムウエア攻撃を受け'), or at it ('アスクルに対する大規模なサイバー攻撃')
    # (not another subject's: 'モリテックスチールはシステム開発の再委託先がサイバー攻撃を受けた')
    r"^(?:社)?は、?(?:(?!に対する|への|委託|が)[^。、]){0,20}?(?:ランサムウ[ェエ]ア|サイバー攻撃|不正アクセス)(?:攻撃)?"
    r"(?:を受け|に感染|の被害)|"
    r"^(?:社)?に対する[^。、]{0,8}?(?:ランサム|サイバー|不正アクセス)|"
    r"^(?:社)?(?:が)?提供(?:する|の)[^。、]{0,12}?(?:サービス|システム|ツール|クラウド)(?:に|が|へ|で)|"
    r"^(?:'s|’s)\s+(?:\w+\s+)?(?:systems?|servers?|network|database)\b|"
    r"^\s+(?:was|were|has been|had been|is)\s+(?:hacked|breached|compromised|hit)\b|^\s+(?:hit by|hacked|breached)\b|"
    # 'an Ancestry service known as RootsWeb suffered a data breach'
    r"^\s+(?:has\s+|had\s+)?(?:suffered|suffers|experienced|sustained)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:breach|hack|"
    r"cyberattack|cyber[- ]attack|ransomware attack|security incident|intrusion)\b|"
    r"^\s+(?:said|says|confirmed|confirms)\s+(?:that\s+)?its\s+(?:\w+\s+){0,2}?(?:systems?|servers?|network)\s+"
    r"(?:was|were|had been)\s+(?:compromised|breached|hacked|accessed)"
)
# The attack told at the vendor itself: an attack named after it where it is matched ('CDK Global cyberattack') or its
# own systems named anywhere ("taken from Okta's support system", 'Okta was breached'). A product or platform word
# elsewhere ('its Okta tenant', "dealers that use CDK Global's software") then makes it a product only when that
# sentence tells an exploit (EXPLOIT_WORDS). 'X breach' and 'X hack' are not enough: they as often name a campaign
# through a product ('the MOVEit hack').
ATTACK_AT_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:[\w-]+\s+)?(?:cyberattack|cyber[- ]attack|ransomware attack|security incident)\b"
)
OWN_SYSTEMS_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:systems?|network|infrastructure|corporate network|internal network)\b|"
    r"^\s+(?:itself\s+)?(?:was|were|has been|had been)\s+(?:hacked|breached)\b"
)
# The vendor telling of its own systems ('Okta said the attackers stole data from its support system'), not
# that they were untouched ('Okta said its systems were not affected'). Read by the English headline rule only.
SAYS_OWN_AFTER = re.compile(
    r"^\s+(?:said|says|confirmed|disclosed|reported|told)\b(?![^.]{0,100}?\b(?:not|no|never|without)\b)"
    r"[^.]{0,80}?\b(?:its|their)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:systems?|network|servers?|databases?|environment|infrastructure)\b"
)
EXPLOIT_WORDS = re.compile(
    r"vulnerabilit|flaws?\b|zero[- ]days?|\b0-?days?\b|\bbugs?\b|cve-\d|exploit|backdoor|trojani[sz]|poisoned|"
    r"injection|malicious (?:code|update)|skimm|脆弱性|ゼロデイ|悪用|バックドア|改ざん"
)
PLACE_BEFORE = re.compile(
    # the breach at it, also through a word or two on what it is ('the attack on its subsidiary X', 'a
    # compromise of the Anodot analytics platform')
    r"\b(?:attack|breach|intrusion|hack|incident|compromise) (?:on|at|of)\s+(?:(?:the|its|their|a|an)\s+)?"
    r"(?:[a-z][\w-]*\s+){0,2}$|\bat\s+$|"
    r"\b(?:stolen|taken|downloaded|exfiltrated)\s+(?:[\w,.-]+\s+){0,4}?from\s+$|"
    # the data told as coming from it, one of several listed ('The compromised data came from sources such as AT&T,
    # Battlefield Heroes and the hackforums.net website')
    r"\b(?:data|records|information|credentials)\s+(?:came|come|comes|originated)\s+from\s+(?:sources|sites|services|"
    r"companies)?\s*(?:such as|including|like)?\s*(?:(?:the\s+)?[\w&.'-]+(?:\s+[\w&.'-]+){0,3}?\s*(?:,|\band\b)\s*)*(?:the\s+)?$|"
    # the attackers' act at it ('Hackers breached Beta Mailing')
    r"\b(?:hackers?|attackers?|criminals|cybercriminals|threat actors?|ransomware gang)\s+(?:have\s+|had\s+)?"
    r"(?:breached|hacked|compromised|infiltrated|attacked)\s+$"
)
# The vendor's customers, users or staff are whose data is told ('フランスベッドの顧客情報に影響', 'J:COM利用者に影響',
# 'data of Aflac and Zurich customers', 'Boots, BA and BBC confirm staff data exposed').
CLIENT_AFTER = re.compile(
    r"^(?:社|様)?(?:(?:と|や|、)[^、。]{1,15}?)?の(?:顧客|利用者|会員|契約者|学生|生徒|従業員|社員|職員|ユーザー|加入者)|^(?:社)?(?:利用者|顧客|会員)(?:に|の)|"
    # the incident reached it too ('イセトーへのランサム攻撃、東京都にも影響', 'スターバックスも同様の影響を受けている')
    r"^(?:社|様)?(?:も|にも)(?:同様の)?(?:影響|被害)を受け|"
    r"^(?:社|様)?(?:にも|へも)(?:影響|被害)|"
    # its service stopped or hit too ('影響で良品計画とロフトのECサイトも停止した', '傘下の良品計画やロフトのネット販売も影響を受けている')
    r"^(?:社|様)?(?:(?:と|や|、)[^、。]{1,15}?)?の[^。、]{0,12}?(?:サイト|ストア|販売|通販|受注|出荷|配送|サービス)"
    r"(?:も|が)[^。、]{0,4}?(?:停止|休止|中断|影響を受け|遅延)|"
    # ... or told hit by an attack on another ('無印良品はアスクルに対する大規模なサイバー攻撃を受けたが')
    r"^(?:社|様)?は、?(?:(?!同社|自社|当社)[^。、]){1,16}?に対する[^。、]{0,10}?(?:サイバー攻撃|ランサム|不正アクセス)|"
    # it tells its own customers' data at risk ('柴田産業と北斗興業がそれぞれ自社顧客の情報漏えいリスクを公表')
    r"^(?:社|様)?(?:(?:と|や|、)[^、。]{1,15}?)?(?:が|は)(?:それぞれ)?、?自社(?:の)?(?:顧客|利用者|会員|契約者)|^(?:社|様)?(?:(?:と|や|、)[^、。]{1,15}?)?(?:に|にも)影響|"
    # its deliveries, orders or stores disrupted by a supplier's incident ('…ケンタッキーやイオン、くら寿司の食材配送に遅延')
    r"^(?:社|様)?(?:(?:や|、|と)[^、。]{1,15}?)?の[^。、]{0,10}?(?:配送|出荷|受注|業務|販売|店舗|サービス)(?:に|で)"
    r"[^。、]{0,8}?(?:遅延|影響|支障|停止|欠品|障害)|"
    r"^(?:社)?(?:、|は)[^。]{0,30}?(?:顧客|利用者|会員|契約者|従業員|社員|職員|退職者)[^。、]{0,16}?(?:情報|データ)|"
    r"^(?:'s|’s)?\s+(?:\w+\s+)?(?:customers?|users?|staff|employees?|members?|patients?|policyholders?|clients?)\b|"
    r"^(?:\s*,\s*[\w&.-]+|\s+and\s+[\w&.-]+){0,4}\s+(?:confirm|confirms|say|says|said)\s+(?:its\s+|their\s+)?"
    r"(?:customer|staff|employee|user|member|patient)s?\s+data\b|"
    r"^\s+(?:says|said|confirms)\s+(?:the\s+)?(?:data|details|information|records)\s+of\b|"
    # another's breach told as reaching it ('Acme Health says Okta breach exposed support files')
    r"^\s+(?:says|said|confirms|confirmed)\s+(?:that\s+)?(?:the\s+)?(?:[\w&.'’-]+\s+){1,3}?(?:breach|hack|attack|incident)"
    r"\s+(?:exposed|affected|impacted|compromised|hit|reached)\b"
)
# The incident spread to it and others ('被害は三井住友海上火災保険やSBI生命保険など複数社にも影響', 'JICAを含む複数の組織に影響').
SPREAD_AFTER = re.compile(r"^(?:社)?(?:(?:や|、|と)[^。、]{1,20}?)?(?:など|を含む)[^。]{0,12}?(?:に|にも)(?:影響|被害)")
CLIENT_BEFORE = re.compile(
    r"\b(?:data|details|records|information) of\s+(?:\w+\s+){0,3}?$|"
    # a customer of the breached provider's software ('the dealer software used by Lithia Motors')
    r"\b(?:software|platform|services?|systems?|tools?)\s+(?:used|relied (?:on|upon)|depended (?:on|upon))\s+by\s+$|"
    # one of several clients listed ('staff data of British Airways, BBC and Boots')
    r"\b(?:data|details|records|information) of\s+(?:[\w&.-]+(?:\s+[\w&.-]+){0,3}?\s*(?:,|\band\b)\s*)+$|"
    r"\bcustomers?\s+(?:who|that)\s+(?:had\s+|have\s+)?(?:applied|signed up|registered|bought|subscribed)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:from|with|at|to)\s+$|"
    r"\b(?:customers?|users?|staff|employees?|clients?|patients?|policyholders?|members?) of\s+"
    r"(?:[\w&.-]+(?:\s+[\w&.-]+){0,3}?\s*(?:,|&|\band\b)\s*)*$"
)


# The breach told at a contractor the report does not name ('両社がシステムの運用を任せていた米国の会社で情報が持ち出された',
# 'after an outsourcing company in the US was breached').
UNNAMED_CONTRACTOR_BREACH = re.compile(
    # ... or at a third party named by its trade ('攻撃者は第三者決済処理業者の侵害を起点としている')
    r"(?:第三者|外部)の?[^。、]{0,8}?(?:業者|事業者|ベンダー|サプライヤー|プロバイダー?)(?:の|で|が|への)[^。、]{0,8}?"
    r"(?:侵害|不正アクセス|サイバー攻撃|ランサム|情報漏えい|情報漏洩)|"
    r"(?:再委託先|外部委託先|業務委託先|委託先|委託事業者|再委託事業者|提携先|任せていた[^。、]{0,12}?(?:会社|企業|業者))"
    r"(?:で|が|への|に対する|において|に(?:不正|ランサム|サイバー)|"
    r"の[^。、]{0,8}?(?:サーバー?|システム|ネットワーク|環境|端末|pc|パソコン|ツール|クラウド|障害|被害))|"
    # at its contractor, or at someone's told by its possessive ("the covered entity's (CE) business associate")
    r"\b(?:(?:at|by|of|on|to|from|against)\s+(?:a|an|its|their|one of its)|(?:at|by|of|from)\s+the\s+(?:[\w-]+\s+){0,3}?"
    r"[\w-]+(?:'s|’s)(?:\s*\([^()]{1,12}\))?)\s+(?:[\w-]+\s+){0,3}?(?:contractor|vendor|supplier|subcontractor|"
    r"service provider|business associate|outsourcing (?:company|firm)|(?:support|services?) (?:firm|company))\b"
    r"(?!\s+(?:customers?|clients?|base|network|community))|"
    r"\b(?:at|of|on)\s+(?:a|an|its|their)\s+third[- ]part(?:y|ies)\b|"
    # a contractor hired, then told losing what it held ('hired a contractor to destroy files no longer in use. The firm
    # lost the shipment')
    r"\bhired\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:contractor|vendor|firm|company)\b[^.]{0,80}\.\s+(?:the|this|that)\s+"
    r"(?:firm|contractor|vendor|company)\s+(?:lost|misplaced|exposed|leaked|mailed|sent)\b|"
    r"\b(?:contractor|vendor|supplier|subcontractor|business associate|outsourcing (?:company|firm)|third party)"
    r"(?:\s+[\w(),-]+){0,6}?\s+(?:was|were|had been|has been|had (?:a|an|its)\s+(?:[\w-]+\s+){0,2}?)\s*"
    r"(?:breached|hacked|compromised)"
    # the contractor's own mishandling ("the CE's business associate (BA), X, mailed...", 'a vendor lost a box of tapes')
    r"|\b(?:contractor|vendor|supplier|subcontractor|business associate|service provider)(?:\s*\([^()]{1,12}\))?"
    r"(?:,\s*[^,.]{1,60},)?\s+(?:erroneously\s+|mistakenly\s+|inadvertently\s+|accidentally\s+)?"
    r"(?:lost|mailed|sent|posted|exposed|misplaced|disclosed|shipped|e-?mailed|left|discarded)\b"
)
