"""The tag catalogue and push-task themes of a mother-and-baby chain, as HQ would define them."""

from __future__ import annotations

# (group id, name, kind, choice, roles, colour, [tag names]) — ids are HQ's and stable.
TAG_GROUPS: list[tuple[int, str, str, str, list[str], str, list[str]]] = [
    (1, "家庭阶段", "manual", "single", ["advisor", "cashier"], "#e8a33d",
     ["备孕", "孕期", "0-6月", "6-12月", "1-3岁", "3-6岁", "6岁+"]),
    (2, "育儿关注", "manual", "multi", ["advisor", "cashier"], "#4a90d9",
     ["奶粉喂养", "母乳喂养", "辅食添加", "睡眠问题", "过敏体质", "早教启蒙", "二胎家庭"]),
    (3, "价格敏感度", "manual", "single", ["advisor"], "#9b59b6",
     ["高端", "大众", "价格敏感"]),
    (4, "到店偏好", "manual", "multi", ["cashier", "advisor"], "#16a085",
     ["周末到店", "工作日到店", "爷爷奶奶代购", "线上下单到店自提"]),
    (5, "沟通备注", "manual", "multi", ["advisor"], "#7f8c8d",
     ["偏好微信", "勿电话打扰", "可上门服务", "关注会员活动"]),
    (10, "RFM分层", "automatic", "single", [], "#c0392b",
     ["重要价值", "重要发展", "重要保持", "重要挽留", "一般价值", "一般发展", "一般保持", "一般挽留"]),
    (11, "品类偏好", "automatic", "multi", [], "#2c3e50",
     ["奶粉", "纸尿裤", "辅食", "洗护", "玩具", "童装", "孕产用品", "营养品"]),
    (12, "消费能力", "automatic", "single", [], "#8e44ad",
     ["高端", "主流", "价格敏感"]),
]

TASK_THEMES: list[tuple[str, str, int, str]] = [
    ("product_launch", "新品上市：有机A2奶粉三段试饮邀约", 1,
     "您好，我是{store}的育儿顾问{advisor}。我们新到了有机A2三段奶粉，宝宝这个月龄正合适，"
     "本周到店可以免费领取试饮装，还有会员专享价，您看周末方便过来吗？"),
    ("birthday_care", "宝宝生日关怀：本月生日会员", 2,
     "您好！宝宝这个月就要过生日啦，我们为金卡以上会员准备了生日礼包，到店出示会员码即可领取。"),
    ("wake_dormant", "唤醒沉睡会员：90天未消费", 2,
     "您好，好久没见到您和宝宝了！最近纸尿裤和辅食有会员日活动，满299减50，欢迎回来看看。"),
    ("season_end", "换季清仓：童装会员专享", 3,
     "您好，换季童装会员专享五折起，宝宝现在的尺码我们帮您预留了几件，要不要先拍给您看看？"),
]

STORES = [("SH001", "上海浦东金桥店"), ("SH002", "上海徐汇万体馆店"), ("NJ001", "南京新街口店")]
