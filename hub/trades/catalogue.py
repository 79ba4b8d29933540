"""The everyday list of gig trades by category, as gig markets post them (slugs name the icons)."""

from __future__ import annotations

# (category slug, category name, [(trade slug, trade name), ...]); order is display order.
# 职业分类大典 codes are left empty: none here has been checked against the 2022 book.
CATALOGUE: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "construction",
        "建筑装修",
        [
            ("rebar", "钢筋工"),
            ("welder", "电焊工"),
            ("bricklayer", "砌砖工"),
            ("carpenter", "木工"),
            ("tiler", "瓦工"),
            ("painter", "油漆工"),
            ("scaffolder", "架子工"),
            ("plumber", "管道工"),
            ("plasterer", "抹灰工"),
            ("laborer", "普工小工"),
        ],
    ),
    (
        "repair",
        "维修安装",
        [
            ("electrician", "电工"),
            ("appliance", "家电维修"),
            ("waterproof", "防水补漏"),
            ("locksmith", "开锁换锁"),
            ("installer", "安装师傅"),
        ],
    ),
    (
        "care",
        "保洁家政",
        [
            ("cleaner", "保洁员"),
            ("housekeeper", "家政服务员"),
            ("nanny", "育婴员"),
            ("eldercare", "养老护理员"),
            ("carer", "医院护工"),
        ],
    ),
    (
        "logistics",
        "搬运配送",
        [
            ("mover", "搬家搬运"),
            ("loader", "装卸工"),
            ("sorter", "快递分拣"),
            ("courier", "配送员"),
        ],
    ),
    (
        "driving",
        "司机",
        [
            ("truck", "货车司机"),
            ("forklift", "叉车司机"),
            ("van", "面包车司机"),
            ("chauffeur", "代驾"),
        ],
    ),
    (
        "hospitality",
        "餐饮服务",
        [
            ("waiter", "服务员"),
            ("cook", "厨师"),
            ("kitchen", "帮厨洗碗"),
            ("promoter", "促销导购"),
            ("security", "保安"),
            ("support", "客服"),
        ],
    ),
    (
        "factory",
        "生产加工",
        [
            ("operator", "普工操作工"),
            ("packer", "包装工"),
            ("sewing", "缝纫工"),
            ("picker", "采摘农工"),
        ],
    ),
    (
        "teaching",
        "教学兼职",
        [
            ("tutor", "家教"),
            ("dance", "舞蹈教师"),
            ("fitness", "健身教练"),
            ("art", "美术书法"),
        ],
    ),
]
