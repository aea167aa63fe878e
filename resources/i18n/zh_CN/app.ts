<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>App</name>
    <message>
      <source>The console is already open for this user. Look for its window in the taskbar.</source>
      <translation>此用户的工作台已经打开，请在任务栏中找到它的窗口。</translation>
    </message>
  </context>
</TS>
