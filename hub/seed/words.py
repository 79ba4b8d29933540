"""Word lists for the demo data: places, names, and what gig postings in such a district say."""

from __future__ import annotations

CITY = "云江市"
DISTRICT = "青川区"
CENTRE = (28.2280, 112.9390)  # the fictional district's centre (lat, lon)
ADMIN_DIVISION = "430112"  # a six-digit division code used in the demo's credit codes

STREETS = [
    "滨江路",
    "青川大道",
    "解放路",
    "建设路",
    "人民路",
    "朝阳街",
    "新华路",
    "金桥路",
    "望月路",
    "锦江路",
    "创业大道",
    "工业园路",
    "学府路",
    "和平街",
    "长青路",
    "东风路",
    "迎宾路",
    "梅溪路",
    "桃源路",
    "湘园路",
    "幸福路",
    "光明街",
]
SUB_DISTRICTS = [
    "滨江街道",
    "青川街道",
    "解放街道",
    "建设街道",
    "人民街道",
    "朝阳街道",
    "新华街道",
    "金桥街道",
    "望月街道",
    "锦江街道",
    "东风街道",
    "迎宾街道",
    "梅溪街道",
    "桃源街道",
    "湘园街道",
    "幸福街道",
    "光明街道",
    "长青街道",
    "学府街道",
    "和平街道",
    "创业街道",
    "工业园街道",
]
MARKETS = ["高桥大市场", "红星农产品批发市场", "金霞物流园", "马王堆蔬菜批发市场", "三湘建材市场"]
VILLAGES = ["白沙镇", "雷锋镇", "莲花镇", "黄金镇"]
# Where the work is, by trade category: a building site hires rebar workers, a care home carers.
PLACES = {
    "construction": ["锦绣花园工地", "滨江新城工地", "城投大厦工地", "湘江一号工地", "金桥安置小区工地"],
    "repair": ["阳光小区", "碧桂园小区", "幸福里小区", "城投大厦", "金桥工业园"],
    "care": ["阳光养老院", "人民医院", "碧桂园小区", "幸福里小区", "滨江新城"],
    "logistics": ["金霞物流园", "高桥大市场", "红星农产品批发市场", "高铁站货运场"],
    "driving": ["金霞物流园", "三湘建材市场", "高铁站", "高桥大市场"],
    "hospitality": ["万达广场", "国际酒店", "高铁站", "步行街"],
    "factory": ["金桥工业园", "创业园", "滨江食品厂", "湘江服装厂"],
    "teaching": ["学府小学附近", "青少年活动中心", "万达广场", "滨江新城"],
}
TRADE_PLACES = {"picker": ["白沙镇果园", "莲花镇蔬菜基地", "黄金镇茶园"]}  # farm work is on farms

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
TITLES = ["经理", "师傅", "女士", "先生", "主管", "老板", "工头"]

# The first part of a company's name (字号): one place-like word, never the city twice.
COMPANY_PLACES = ["云江", "滨江", "湘江", "金桥", "锦江", "长青", "宏图", "鑫源", "恒达", "安居", "顺心"]
COMPANY_WORDS = ["宏达", "鑫盛", "安心", "恒通", "顺达", "德信", "华美", "利民", "永兴", "嘉禾", "福瑞", "众诚"]
# What kind of business an employer is, and the trades it hires for: a 家政 company posts 保洁
# and 保姆 jobs, a 建筑劳务 company 钢筋工 and 架子工. Every trade of the catalogue is somebody's.
EMPLOYER_KINDS = [
    ("建筑劳务有限公司", ["rebar", "welder", "bricklayer", "scaffolder", "laborer", "plasterer"]),
    ("装饰工程有限公司", ["carpenter", "tiler", "painter", "plumber", "plasterer", "laborer"]),
    ("建设工程有限公司", ["rebar", "welder", "bricklayer", "carpenter", "scaffolder", "laborer"]),
    ("家电维修服务部", ["appliance", "installer", "electrician"]),
    ("物业服务有限公司", ["electrician", "locksmith", "cleaner", "security"]),
    ("防水工程有限公司", ["waterproof", "laborer"]),
    ("家政服务有限公司", ["cleaner", "housekeeper", "nanny", "eldercare"]),
    ("养老服务中心", ["eldercare", "carer", "kitchen"]),
    ("保洁服务有限公司", ["cleaner"]),
    ("物流有限公司", ["loader", "sorter", "courier", "truck", "forklift"]),
    ("搬家服务有限公司", ["mover", "van"]),
    ("供应链管理有限公司", ["loader", "sorter", "forklift", "packer"]),
    ("运输有限公司", ["truck", "van", "loader"]),
    ("汽车服务有限公司", ["chauffeur", "van"]),
    ("餐饮管理有限公司", ["waiter", "cook", "kitchen"]),
    ("酒店管理有限公司", ["waiter", "kitchen", "cleaner", "security"]),
    ("商贸有限公司", ["promoter", "support", "loader"]),
    ("保安服务有限公司", ["security"]),
    ("食品有限公司", ["operator", "packer"]),
    ("服装有限公司", ["sewing", "packer", "operator"]),
    ("电子科技有限公司", ["operator", "packer", "support"]),
    ("农业专业合作社", ["picker", "packer"]),
    ("文化艺术培训学校", ["dance", "art", "tutor"]),
    ("教育咨询有限公司", ["tutor"]),
    ("体育健身有限公司", ["fitness"]),
]
# Individual businesses (个体户, 某记…): the shop and what it hires for.
HOUSEHOLD_SHOPS = {
    "家常菜馆": ["waiter", "cook", "kitchen"],
    "早餐店": ["kitchen", "waiter"],
    "五金店": ["installer", "loader"],
    "水果店": ["loader", "promoter"],
    "便利店": ["promoter", "courier"],
}
# Mobile numbers as issued (13x, 15x except 154, 18x, 19x in use), not any 1 followed by digits.
MOBILE_PREFIXES = [
    *(f"13{d}" for d in range(10)),
    *(f"15{d}" for d in "01235679" + "8"),
    *(f"18{d}" for d in range(10)),
    *("191", "193", "195", "196", "197", "198", "199"),
]
GIVEN_NAMES = ["建国", "秀英", "桂兰", "志强", "海燕", "国庆", "春梅", "德明", "丽华", "红军", "玉兰", "卫东"]

# Per trade: pay ranges in yuan with their unit, titles, and typical hours.
PAY = {
    "rebar": [(300, 450, "day")],
    "welder": [(350, 500, "day")],
    "bricklayer": [(300, 400, "day")],
    "carpenter": [(350, 450, "day")],
    "tiler": [(320, 420, "day")],
    "painter": [(250, 350, "day")],
    "scaffolder": [(350, 450, "day")],
    "plumber": [(300, 400, "day")],
    "plasterer": [(280, 380, "day")],
    "laborer": [(180, 250, "day")],
    "electrician": [(300, 400, "day"), (80, 150, "piece")],
    "appliance": [(50, 120, "piece")],
    "waterproof": [(200, 400, "piece")],
    "locksmith": [(50, 100, "piece")],
    "installer": [(60, 150, "piece")],
    "cleaner": [(25, 35, "hour"), (3500, 4500, "month")],
    "housekeeper": [(30, 40, "hour")],
    "nanny": [(6000, 9000, "month")],
    "eldercare": [(4000, 6000, "month")],
    "carer": [(150, 250, "day")],
    "mover": [(200, 300, "day"), (80, 150, "piece")],
    "loader": [(200, 280, "day")],
    "sorter": [(18, 25, "hour")],
    "courier": [(6, 10, "piece")],
    "truck": [(300, 450, "day")],
    "forklift": [(5000, 7000, "month")],
    "van": [(250, 350, "day")],
    "chauffeur": [(40, 80, "piece")],
    "waiter": [(18, 25, "hour"), (150, 200, "day")],
    "cook": [(250, 350, "day")],
    "kitchen": [(130, 180, "day")],
    "promoter": [(150, 200, "day")],
    "security": [(3500, 4500, "month")],
    "support": [(10, 10, "piece")],
    "operator": [(20, 25, "hour")],
    "packer": [(18, 22, "hour")],
    "sewing": [(4500, 6500, "month")],
    "picker": [(120, 160, "day")],
    "tutor": [(80, 150, "lesson")],
    "dance": [(120, 200, "lesson")],
    "fitness": [(100, 200, "lesson")],
    "art": [(100, 150, "lesson")],
}
TITLE_FORMS = [
    "{trade}",
    "急招{trade}",
    "{trade}（日结）",
    "{place}招{trade}",
    "{trade}{n}名",
    "招{trade}（长期）",
    "{trade}（兼职）",
    "临时{trade}",
]
HOURS = {
    "hour": ["09:00-18:00", "18:00-22:00", "08:00-12:00", "按预约时间"],
    "day": ["07:00-17:00", "08:00-18:00", "07:30-17:30", "06:30-16:30"],
    "piece": ["按单计酬，时间自由", "上门服务，时间协商"],
    "lesson": ["周末上午", "工作日晚上19:00-21:00", "每周三次"],
    "month": ["08:00-17:00，月休4天", "三班倒", "住家，每周休一天"],
}
SETTLEMENT_BY_UNIT = {
    "hour": ["daily", "weekly"],
    "day": ["daily", "daily", "completion", "weekly"],
    "piece": ["daily", "completion"],
    "lesson": ["weekly", "monthly"],
    "month": ["monthly"],
}
REQUIREMENTS = {
    "construction": ["能吃苦耐劳", "有相关经验优先", "会看图纸", "服从现场安排", "身体健康，能适应高空作业"],
    "repair": ["有电工证", "有上门维修经验", "自带工具优先", "会使用手机接单"],
    "care": ["有健康证", "有耐心爱心", "做事细心干净", "有育婴师证优先", "有护理经验优先"],
    "logistics": ["能吃苦耐劳", "身体健康", "能搬重物", "会骑电动车", "熟悉本地道路"],
    "driving": ["有C1驾照", "有A2驾照", "有叉车证", "驾龄三年以上", "无不良驾驶记录"],
    "hospitality": ["普通话流利", "有健康证", "形象端正", "能上晚班", "做事踏实"],
    "factory": ["能适应站立工作", "视力良好", "手脚麻利", "服从安排"],
    "teaching": ["有相关专业背景", "有教学经验", "喜欢孩子", "有资格证优先"],
}
BENEFITS = [
    "包午餐",
    "包吃住",
    "提供工装",
    "交通补贴",
    "满勤奖",
    "提供工具",
    "有班车接送",
    "工资日结",
    "节假日三倍工资",
    "免费培训",
    "可提前预支",
]
