<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>MemberCard</name>
    <message>
      <source>HQ has opened no tag groups to the till.</source>
      <translation>总部尚未开放收银台可用的标签组。</translation>
    </message>
    <message>
      <source>(no name yet)</source>
      <translation>（未留姓名）</translation>
    </message>
    <message>
      <source>Mobile {0}</source>
      <translation>手机 {0}</translation>
    </message>
    <message>
      <source>Card {0}</source>
      <translation>卡号 {0}</translation>
    </message>
  </context>
</TS>
