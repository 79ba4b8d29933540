"""Which staff routes are audited, under which name: every route that changes data, and the reads
that show personal data or credentials. A staff route that changes data without a name here fails
tests/integration/test_audit.py."""

from __future__ import annotations

CHANGES: dict[tuple[str, str], str] = {
    # the staff API (bearer tokens)
    ("POST", "/api/v1/devices"): "device.create",
    ("POST", "/api/v1/devices/{device_id}/code"): "device.new_code",
    ("PATCH", "/api/v1/devices/{device_id}"): "device.settings",
    ("POST", "/api/v1/devices/{device_id}/revoke"): "device.revoke",
    ("POST", "/api/v1/stations"): "station.create",
    ("PUT", "/api/v1/stations/{station_id}"): "station.edit",
    ("POST", "/api/v1/employers"): "employer.create",
    ("PUT", "/api/v1/employers/{employer_id}"): "employer.edit",
    ("POST", "/api/v1/employers/{employer_id}/verify"): "employer.verify",
    ("POST", "/api/v1/postings"): "posting.publish",
    ("PATCH", "/api/v1/postings/{posting_id}"): "posting.edit",
    ("POST", "/api/v1/postings/{posting_id}/status"): "posting.status",
    ("POST", "/api/v1/postings/{posting_id}/fast"): "posting.fast",
    ("DELETE", "/api/v1/postings/{posting_id}/fast"): "posting.fast_end",
    ("POST", "/api/v1/announcements"): "announcement.create",
    ("PUT", "/api/v1/announcements/{announcement_id}"): "announcement.edit",
    ("DELETE", "/api/v1/announcements/{announcement_id}"): "announcement.withdraw",
    ("POST", "/api/v1/interviews/slots"): "interview.offer",
    ("POST", "/api/v1/interviews/slots/{slot_id}/cancel"): "interview.cancel",
    ("POST", "/api/v1/interviews/slots/{slot_id}/no-show"): "interview.no_show",
    ("POST", "/api/v1/courses"): "course.offer",
    ("PATCH", "/api/v1/courses/{course_id}"): "course.edit",
    ("POST", "/api/v1/courses/{course_id}/status"): "course.status",
    ("POST", "/api/v1/courses/{course_id}/signups/{signup_id}"): "course.mark",
    ("POST", "/api/v1/buses"): "bus.offer",
    ("PATCH", "/api/v1/buses/{departure_id}"): "bus.edit",
    ("POST", "/api/v1/buses/{departure_id}/status"): "bus.status",
    ("POST", "/api/v1/buses/{departure_id}/seats/{seat_id}"): "bus.board",
    ("POST", "/api/v1/teams"): "team.create",
    ("PATCH", "/api/v1/teams/{team_id}"): "team.edit",
    ("POST", "/api/v1/fairs"): "fair.hold",
    ("POST", "/api/v1/fairs/{fair_id}/status"): "fair.status",
    ("PUT", "/api/v1/market/official-rates/{trade_id}/{unit}"): "market.official_rate",
    ("DELETE", "/api/v1/market/official-rates/{trade_id}/{unit}"): "market.official_rate_withdraw",
    # the console (sessions)
    ("POST", "/staff/postings/new"): "posting.publish",
    ("POST", "/staff/postings/{posting_id}/edit"): "posting.edit",
    ("POST", "/staff/postings/{posting_id}/close"): "posting.close",
    ("POST", "/staff/postings/{posting_id}/full"): "posting.full",
    ("POST", "/staff/postings/{posting_id}/fast"): "posting.fast",
    ("POST", "/staff/postings/{posting_id}/fast/end"): "posting.fast_end",
    ("POST", "/staff/postings/import"): "posting.import",
    ("POST", "/staff/employers"): "employer.create",
    ("POST", "/staff/employers/{employer_id}"): "employer.edit",
    ("POST", "/staff/employers/{employer_id}/verify"): "employer.verify",
    ("POST", "/staff/applications/{application_id}/status"): "application.status",
    ("POST", "/staff/outreach/calls/{call_id}"): "outreach.call",
    ("POST", "/staff/outreach/postings/{posting_id}/notify"): "outreach.notify",
    ("POST", "/staff/outreach/workers/{worker_id}/help"): "outreach.help",
    ("POST", "/staff/orders/{order_id}/publish"): "order.publish",
    ("POST", "/staff/orders/{order_id}/dispatch"): "order.dispatch",
    ("POST", "/staff/orders/{order_id}/reject"): "order.reject",
    ("POST", "/staff/orders/{order_id}/accept"): "order.accept",
    ("POST", "/staff/orders/{order_id}/complete"): "order.complete",
    ("POST", "/staff/orders/{order_id}/cancel"): "order.cancel",
    ("POST", "/staff/courses"): "course.offer",
    ("POST", "/staff/courses/{course_id}/status"): "course.status",
    ("POST", "/staff/courses/{course_id}/signups/{signup_id}"): "course.mark",
    ("POST", "/staff/buses"): "bus.offer",
    ("POST", "/staff/buses/{departure_id}/status"): "bus.status",
    ("POST", "/staff/buses/{departure_id}/seats/{seat_id}"): "bus.board",
    ("POST", "/staff/fairs"): "fair.hold",
    ("POST", "/staff/fairs/{fair_id}/status"): "fair.status",
    ("POST", "/staff/teams"): "team.create",
    ("POST", "/staff/teams/{team_id}"): "team.edit",
    ("POST", "/staff/teams/{team_id}/retire"): "team.retire",
    ("POST", "/staff/teams/{team_id}/restore"): "team.restore",
    ("POST", "/staff/interviews"): "interview.offer",
    ("POST", "/staff/interviews/{slot_id}/cancel"): "interview.cancel",
    ("POST", "/staff/interviews/{slot_id}/no-show"): "interview.no_show",
    ("POST", "/staff/devices"): "device.create",
    ("POST", "/staff/devices/{device_id}"): "device.settings",
    ("POST", "/staff/devices/{device_id}/revoke"): "device.revoke",
    ("POST", "/staff/announcements"): "announcement.create",
    ("POST", "/staff/announcements/{announcement_id}/withdraw"): "announcement.withdraw",
    ("POST", "/staff/account"): "account.password",
    ("POST", "/staff/users"): "user.create",
    ("POST", "/staff/users/{user_id}/disable"): "user.disable",
    ("POST", "/staff/users/{user_id}/enable"): "user.enable",
    ("POST", "/staff/users/{user_id}/reset-password"): "user.reset_password",
    ("POST", "/staff/users/{user_id}/reset-2fa"): "user.reset_2fa",
    ("POST", "/staff/users/{user_id}/revoke-tokens"): "user.revoke_tokens",
    # trust (hub.trust): reviews, the flags that hold, suspensions, a station's service rules
    ("POST", "/staff/reviews/{posting_id}/approve"): "posting.approve",
    ("POST", "/staff/reviews/{posting_id}/reject"): "posting.reject",
    ("POST", "/staff/reviews/hold"): "trust.hold",
    ("POST", "/staff/reviews/suspend"): "employer.suspend",
    ("POST", "/staff/reviews/lift/{employer_id}"): "employer.lift",
    ("POST", "/staff/reviews/station/{station_id}"): "station.rules",
    # signed device updates (hub.releases): who published which release, and where it was sent
    ("POST", "/api/v1/releases"): "release.publish",
    ("PUT", "/api/v1/releases/{release_id}/rollout"): "release.rollout",
    ("POST", "/staff/releases"): "release.publish",
    ("POST", "/staff/releases/{release_id}/rollout"): "release.rollout",
}

# Reads that show workers' or residents' names and phones, or hand out a credential.
READS: dict[tuple[str, str], str] = {
    ("GET", "/staff/applications"): "applications.view",
    ("GET", "/staff/outreach/postings/{posting_id}"): "outreach.view",  # phones of the consenting
    ("GET", "/staff/orders"): "orders.view",
    ("GET", "/staff/interviews"): "interviews.view",  # the employers' room links
    ("GET", "/staff/courses/{course_id}"): "course.roster",  # phones of the consenting
    ("GET", "/staff/buses/{departure_id}"): "bus.manifest",  # phones of the consenting
    ("GET", "/api/v1/interviews/slots/{slot_id}/link"): "interview.link",
    ("GET", "/api/v1/courses/{course_id}/roster"): "course.roster",  # phones of the consenting
    ("GET", "/api/v1/buses/{departure_id}/manifest"): "bus.manifest",  # phones of the consenting
    ("GET", "/api/v1/fairs"): "fair.links",  # each booth's link: whoever holds one calls its numbers
    ("GET", "/staff/fairs/{fair_id}"): "fair.links",  # each booth's link (for the fair's own staff)
    ("GET", "/staff/audit"): "audit.view",
    ("GET", "/staff/outcomes.xlsx"): "outcomes.export",  # an export leaves the hub: who took it
    ("GET", "/staff/applications.xlsx"): "applications.export",  # names and phones, off the hub
    ("GET", "/staff/orders.xlsx"): "orders.export",  # residents' phones and addresses
    ("GET", "/staff/postings.xlsx"): "postings.export",
    ("GET", "/staff/figures.xlsx"): "figures.export",
    ("GET", "/staff/users"): "users.view",
    ("GET", "/staff/devices/{device_id}/capture.png"): "device.picture",  # a kiosk's screen may show a visit
}

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# How the audit page names each action, for staff who are not technical.
WORDS: dict[str, str] = {
    "signin.ok": "登录",
    "signin.password": "密码正确，待两步验证",
    "signin.wrong": "登录失败",
    "signin.locked": "登录被拒（账号锁定）",
    "signin.throttled": "登录过于频繁",
    "signin.second_failed": "验证码错误",
    "signin.second_enrolled": "绑定验证器并登录",
    "signout": "退出",
    "account.password": "修改自己的密码",
    "user.create": "新增账号",
    "user.disable": "停用账号",
    "user.enable": "启用/解锁账号",
    "user.reset_password": "重置密码",
    "user.reset_2fa": "重新绑定验证器",
    "user.revoke_tokens": "作废接口令牌",
    "user.set_password": "设置密码",
    "token.create": "发放接口令牌",
    "users.view": "查看工作人员",
    "posting.publish": "发布岗位",
    "posting.edit": "修改岗位",
    "posting.close": "结束招聘",
    "posting.full": "标为已招满",
    "posting.status": "改岗位状态",
    "posting.fast": "设为快招",
    "posting.fast_end": "结束快招",
    "posting.import": "批量导入岗位",
    "employer.create": "新增单位",
    "employer.edit": "修改单位",
    "employer.verify": "认证/取消认证单位",
    "employer.suspend": "暂停单位",
    "release.publish": "发布软件更新",
    "release.rollout": "推送软件更新",
    "employer.lift": "恢复单位",
    "posting.approve": "审核通过岗位",
    "posting.reject": "退回岗位",
    "trust.hold": "设置需审核的标记",
    "station.rules": "修改驿站服务规范",
    "course.offer": "发布培训",
    "course.edit": "修改培训",
    "course.status": "改培训状态",
    "course.mark": "记培训到课/结业",
    "course.roster": "查看培训名单",
    "bus.offer": "发布包车",
    "bus.edit": "修改包车",
    "bus.status": "改包车状态",
    "bus.board": "记上车",
    "bus.manifest": "查看包车名单",
    "team.create": "零工团队上墙",
    "team.edit": "修改零工团队",
    "team.retire": "零工团队下墙",
    "team.restore": "零工团队重新上墙",
    "fair.hold": "办招聘会",
    "fair.status": "改招聘会状态",
    "fair.links": "查看招聘会（含叫号链接）",
    "station.create": "新增驿站",
    "station.edit": "修改驿站",
    "application.status": "改报名状态",
    "applications.view": "查看报名人电话",
    "outreach.view": "查看岗位找人电话名单",
    "outreach.call": "记下找人电话结果",
    "outreach.notify": "给合适的人发短信",
    "outreach.help": "标记/取消困难帮扶",
    "order.publish": "订单发布为岗位",
    "order.dispatch": "派单",
    "order.reject": "驳回订单",
    "order.accept": "记录接单",
    "order.complete": "记录完成",
    "order.cancel": "取消订单",
    "orders.view": "查看居民订单",
    "interview.offer": "开放面试时间",
    "interview.cancel": "取消面试时间",
    "interview.no_show": "记为未到",
    "interview.link": "取单位面试链接",
    "interviews.view": "查看面试安排",
    "device.create": "接入设备",
    "device.new_code": "重发接入码",
    "device.settings": "改设备设置",
    "device.revoke": "停用设备",
    "device.picture": "看设备画面",
    "announcement.create": "发布公告",
    "announcement.edit": "修改公告",
    "announcement.withdraw": "撤下公告",
    "audit.view": "查看操作记录",
    "outcomes.export": "导出市场数据表（Excel）",
    "applications.export": "导出报名（Excel，含姓名电话）",
    "orders.export": "导出居民订单（Excel，含电话地址）",
    "postings.export": "导出岗位（Excel）",
    "figures.export": "导出本月台账（Excel）",
    "retention.sweep": "到期个人信息清除",
    "worker.erase": "按本人要求删除零工信息",
}
VIA = {"console": "工作台", "token": "接口", "cli": "中心服务器命令", "system": "系统", "public": "公众"}


def outcome_words(status: int) -> str:
    if not status:
        return ""
    if status < 400:
        return "成功"
    return {401: "未通过验证", 403: "无权限", 404: "记录不存在", 409: "冲突", 422: "填写有误", 429: "过于频繁"}.get(
        status, "失败"
    )


def name_of(method: str, path: str) -> str | None:
    """The action a staff request is recorded as, or None when it is not recorded."""
    return (
        CHANGES.get((method, path))
        or READS.get((method, path))
        or (f"{method.lower()} {path}"[:40] if method in MUTATING else None)
    )
