<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>MainWindow</name>
    <message>
      <source>Store Associate Console</source>
      <translation>门店导购工作台</translation>
    </message>
    <message>
      <source>Store Associate Console · {0}</source>
      <translation>门店导购工作台 · {0}</translation>
    </message>
    <message>
      <source>← Back</source>
      <translation>← 返回</translation>
    </message>
    <message>
      <source>Store dashboard</source>
      <translation>门店看板</translation>
    </message>
    <message>
      <source>Checkout</source>
      <translation>收银台</translation>
    </message>
    <message>
      <source>My members</source>
      <translation>我的会员</translation>
    </message>
    <message>
      <source>My tasks</source>
      <translation>我的任务</translation>
    </message>
    <message>
      <source>Follow-ups</source>
      <translation>跟进</translation>
    </message>
    <message>
      <source>Rejected by HQ</source>
      <translation>被总部驳回</translation>
    </message>
    <message>
      <source>Sync now</source>
      <translation>立即同步</translation>
    </message>
    <message>
      <source>Settings…</source>
      <translation>设置…</translation>
    </message>
    <message>
      <source>Lock</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Switch user</source>
      <translation>切换用户</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>退出登录</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>Demo: sign in as {0}</source>
      <translation>演示：以{0}登录</translation>
    </message>
  </context>
</TS>
