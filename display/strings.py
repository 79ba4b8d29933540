"""Every string the wall shows (walls speak Chinese), and the one function that looks them up."""

from __future__ import annotations

from floor.postings import word

STRINGS: dict[str, str] = {
    "col.employer": "单位",
    "col.title": "岗位",
    "col.places": "人数",
    "col.pay": "薪资",
    "col.phone": "电话",
    "col.place": "地点",
    "places": "{n}人",
    "tag.urgent": "急招",
    "tag.fast": "快招",  # 即时快招 (display.fast)
    "fast": "即时快招 · 马上要人",
    "fast.call": "电话 {phone}",
    "fast.places": "招{places}",  # (the card has no 人数 heading over it: 招3人)
    "tag.today": "今天开工",  # the kiosk's word too
    "tag.tomorrow": "明天开工",
    "updated": "更新于 {hm}",
    "never": "尚未同步",
    "stale": "网络中断，以下岗位信息可能已过时（最后更新 {hm}），请以现场为准",
    "page": "第{page}/{pages}页",
    # 技能培训 (hub.training), in the notice strip: display/offers.py
    "course.line": "【培训】{title} {m}月{d}日开课 {cost} 还剩{left}个名额，到一体机刷身份证报名",
    "course.free": "免费",
    "course.paid": "收费有补贴",
    # 包车 (hub.buses), in the notice strip: display/offers.py
    "bus.line": "【包车】{m}月{d}日 {hm} 去{place} {work} 还剩{left}个座位，{until}发车，到一体机刷身份证报名",
    "bus.days": "还有{n}天",
    "bus.hours": "还有{n}小时",
    "bus.minutes": "还有{n}分钟",
    "scan": "扫码报名",  # one line under the code: the phone page has the details
    "figures.title": "今日驿站",
    "figures.open": "在招岗位",
    "figures.placed": "今日上岗",
    "figures.top": "本周接单王",
    "figures.count": "{n}单",
    "booth.title": "{employer} 正在招聘",
    "empty": "暂无岗位，请稍后再看",
    "section.other": "其他",
    "emergency": "紧急通知",
    "market.rates": "工资指导价（近90天本区岗位）",
    "market.shortage": "紧缺工种（近30天）",
    "market.trade": "工种",
    "market.range": "一般在",  # the middle half of postings pay within (P25–P75)
    "market.median": "中间价",
    "market.official": " 官方",  # the city's official rate, not the market's own figure
    "market.places": "要{n}人",
    "market.workers": "登记{n}人",
    "market.trend.up": "更缺了",
    "market.trend.down": "好些了",
    "market.trend.steady": "持平",
    "market.trend.new": "新上榜",
    "market.none": "行情数据暂缺，请稍后再看",
    "emergency.until": "有效至 {when}",
    # 招聘会 (hub.fairs) in the hall: display/fair.py
    "fair.col.booth": "展位",
    "fair.col.employer": "单位",
    "fair.col.jobs": "招聘岗位",
    "fair.col.places": "人数",
    "fair.col.serving": "叫到",  # the number the booth serves now
    "fair.col.waiting": "排队",
    "fair.booth": "{number}号",
    "fair.call": "请 {code}",  # with fair.to: 请 A023 到 5号展位, on one line or two
    "fair.to": "到 {booth}号展位",
    "fair.board": "叫号",
    "fair.badge": "招聘会叫号",
    "fair.none": "还没有叫号",
    "fair.opens": "{hm} 开始",
    "fair.taking": "到一体机刷身份证取号",
    "fair.stopped": "已停止取号",
    "fair.page": "{n}/{of}",
    # 零工团队上墙 (hub.teams), a card of every page on lobby screens: display/teams.py
    "team.tag": "零工团队",
    "team.leader": "队长 {leader} · {n}人",
    "team.done": "已接单{n}单",  # completed household orders (the hub's 接单)
    "team.scan": "扫码请这个团队干活",  # the code opens the household order page addressed to the team
    "section": "{name} {n}/{of}",
    "title": "{station}",
}


def tr(key: str, **params) -> str:
    """The wall's text for `key`; a unit or settlement key takes the Chinese word every screen uses."""
    text = STRINGS.get(key)
    if text is None:
        return word("zh", key)
    return text.format(**params) if params else text
