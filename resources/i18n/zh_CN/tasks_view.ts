<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>TaskCard</name>
    <message>
        <source>Overdue {0}</source>
        <translation>已逾期 {0}</translation>
    </message>
    <message>
        <source>Due {0}</source>
        <translation>截止 {0}</translation>
    </message>
    <message>
        <source>{0} converted</source>
        <translation>已成交 {0}</translation>
    </message>
</context>
<context>
    <name>TasksView</name>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>HQ has not sent you any push-tasks yet.</source>
        <translation>总部还没有给您下发推送任务。</translation>
    </message>
    <message>
        <source>My tasks</source>
        <translation>我的任务</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完成进度</translation>
    </message>
    <message>
        <source>Contact rate</source>
        <translation>联系率</translation>
    </message>
    <message>
        <source>Conversion rate</source>
        <translation>转化率</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>已成交</translation>
    </message>
    <message>
        <source>Still to contact</source>
        <translation>待联系</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>宝宝</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Double-click a member to contact them now</source>
        <translation>双击会员，立即开始联系</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Targets (double-click to contact)</source>
        <translation>任务目标会员（双击开始联系）</translation>
    </message>
    <message>
        <source>due {0}</source>
        <translation>截止 {0}</translation>
    </message>
    <message>
        <source>no due date</source>
        <translation>无截止日期</translation>
    </message>
    <message>
        <source>overdue since {0}</source>
        <translation>已逾期（截止 {0}）</translation>
    </message>
    <message>
        <source>HQ gave no script for this task.</source>
        <translation>总部没有为此任务提供话术。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续联系</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始联系</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待联系</translation>
    </message>
</context>
</TS>
