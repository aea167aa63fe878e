<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ProfileParts</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>¥{0}</source>
        <translation>¥{0}</translation>
    </message>
</context>
<context>
    <name>TimelineList</name>
    <message>
        <source>Task: {0}</source>
        <translation>任务：{0}</translation>
    </message>
    <message>
        <source>Follow up on {0}</source>
        <translation>下次跟进 {0}</translation>
    </message>
    <message>
        <source>No contact logged yet.</source>
        <translation>还没有互动记录。</translation>
    </message>
</context>
</TS>
