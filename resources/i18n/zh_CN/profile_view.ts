<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ProfileView</name>
    <message>
        <source>Find a member to see their profile.</source>
        <translation>查找会员后，在这里查看会员画像。</translation>
    </message>
    <message>
        <source>Correct data…</source>
        <translation>资料修正…</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo my last tag change (Ctrl+Z)</source>
        <translation>撤销我最近一次标签修改（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Set by HQ</source>
        <translation>自动标签</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>消费概况</translation>
    </message>
    <message>
        <source>Open tasks</source>
        <translation>进行中的推送任务</translation>
    </message>
    <message>
        <source>Corrections waiting for HQ</source>
        <translation>待总部审核的资料修正</translation>
    </message>
    <message>
        <source>Contact history</source>
        <translation>互动记录</translation>
    </message>
    <message>
        <source>This member is no longer in this store&apos;s data.</source>
        <translation>本店数据中已没有这位会员。</translation>
    </message>
    <message>
        <source>Tag change undone.</source>
        <translation>已撤销标签修改。</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>会员卡号</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Advisor</source>
        <translation>专属导购</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Last purchase</source>
        <translation>最近购买</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <source>girl</source>
        <translation>女孩</translation>
    </message>
    <message>
        <source>boy</source>
        <translation>男孩</translation>
    </message>
    <message>
        <source>Baby</source>
        <translation>宝宝</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>宝宝</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Orders, 12 months</source>
        <translation>近12个月订单</translation>
    </message>
    <message>
        <source>Spent, 12 months</source>
        <translation>近12个月消费</translation>
    </message>
    <message>
        <source>Average basket</source>
        <translation>客单价</translation>
    </message>
    <message>
        <source>Last order</source>
        <translation>最近订单</translation>
    </message>
    <message>
        <source>Buys most: {0}</source>
        <translation>常购品类：{0}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Due {0}</source>
        <translation>截止 {0}</translation>
    </message>
    <message>
        <source>Not contacted yet</source>
        <translation>尚未联系</translation>
    </message>
    <message>
        <source>Log contact</source>
        <translation>记录联系</translation>
    </message>
    <message>
        <source>{0}: {1} → {2} ({3})</source>
        <translation>{0}：{1} → {2}（{3}）</translation>
    </message>
</context>
</TS>
