<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>MemberTableModel</name>
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
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>孩子</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>RFM</source>
        <translation>RFM 分层</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <source>Last purchase</source>
        <translation>最近购买</translation>
    </message>
</context>
</TS>
