<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AutomaticTagsRow</name>
    <message>
        <source>{0} (set by HQ automatically)</source>
        <translation>{0}（总部自动计算）</translation>
    </message>
</context>
<context>
    <name>ManualTagsPanel</name>
    <message>
        <source>Pick one</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Pick any</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Your role cannot change this group</source>
        <translation>您的角色不能修改这组标签</translation>
    </message>
</context>
</TS>
