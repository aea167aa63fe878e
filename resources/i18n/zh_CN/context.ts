<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AppContext</name>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
</TS>
