<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>CompletionChart</name>
    <message>
      <source>Finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Reached</source>
      <translation>已触达</translation>
    </message>
    <message>
      <source>Converted</source>
      <translation>已成交</translation>
    </message>
    <message>
      <source>Targets</source>
      <translation>目标会员数</translation>
    </message>
    <message>
      <source>Completion over time · {0}</source>
      <translation>完成进度走势 · {0}</translation>
    </message>
    <message>
      <source>Completion over time: select a push-task</source>
      <translation>完成进度走势：请先选择一个推送任务</translation>
    </message>
  </context>
</TS>
