<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>MembersView</name>
    <message>
        <source>Double-click or Enter opens the member</source>
        <translation>双击或按回车打开会员</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部生命周期</translation>
    </message>
    <message>
        <source>Children of any age</source>
        <translation>孩子年龄不限</translation>
    </message>
    <message>
        <source>Has an open task</source>
        <translation>有未完成任务</translation>
    </message>
    <message>
        <source>Follow-up due</source>
        <translation>待跟进</translation>
    </message>
    <message>
        <source>My members</source>
        <translation>我的会员</translation>
    </message>
    <message>
        <source>{0} (automatic)</source>
        <translation>{0}（自动标签）</translation>
    </message>
    <message>
        <source>{0} members</source>
        <translation>共 {0} 位会员</translation>
    </message>
</context>
</TS>
