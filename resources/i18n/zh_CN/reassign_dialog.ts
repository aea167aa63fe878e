<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>ReassignDialog</name>
    <message>
      <source>Reassign to…</source>
      <translation>改派给…</translation>
    </message>
    <message>
      <source>Give the {0} selected task targets to:</source>
      <translation>将选中的 {0} 个任务目标会员改派给：</translation>
    </message>
    <message>
      <source>Give the {0} selected members to:</source>
      <translation>将选中的 {0} 位会员改派给：</translation>
    </message>
    <message>
      <source>Members take their open task targets with them. HQ checks every change when it arrives.</source>
      <translation>会员尚未完成的任务目标会一并转给新导购。总部收到后会再次核对每一项改派。</translation>
    </message>
    <message>
      <source>Only targets still open can be reassigned: the ones already worked keep who worked them.</source>
      <translation>只能改派尚未完成的目标会员；已完成的保留原跟进导购。</translation>
    </message>
    <message>
      <source>{0} ({1}) · {2} members</source>
      <translation>{0}（{1}）· 负责 {2} 位会员</translation>
    </message>
    <message>
      <source>Reassign</source>
      <translation>改派</translation>
    </message>
  </context>
</TS>
