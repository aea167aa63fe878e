<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>FollowUpTable</name>
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
        <source>Follow up on</source>
        <translation>跟进日期</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>上次联系</translation>
    </message>
    <message>
        <source>Last note</source>
        <translation>上次备注</translation>
    </message>
    <message>
        <source>Double-click or Enter opens the member</source>
        <translation>双击或回车打开会员档案</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0} 天</translation>
    </message>
</context>
<context>
    <name>FollowUpsView</name>
    <message>
        <source>No follow-ups due: nobody is waiting for your call today.</source>
        <translation>今天没有需要跟进的会员。</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Overdue ({0})</source>
        <translation>已逾期（{0}）</translation>
    </message>
    <message>
        <source>Today ({0})</source>
        <translation>今天（{0}）</translation>
    </message>
</context>
</TS>
