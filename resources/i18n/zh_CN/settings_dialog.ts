<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>HQ address</source>
      <translation>总部地址</translation>
    </message>
    <message>
      <source>not set up</source>
      <translation>未设置</translation>
    </message>
    <message>
      <source>Store code</source>
      <translation>门店编码</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source> s</source>
      <translation> 秒</translation>
    </message>
    <message>
      <source>Sync every</source>
      <translation>同步间隔</translation>
    </message>
    <message>
      <source> min</source>
      <translation> 分钟</translation>
    </message>
    <message>
      <source>never</source>
      <translation>从不</translation>
    </message>
    <message>
      <source>Lock after idle</source>
      <translation>空闲后锁定</translation>
    </message>
    <message>
      <source>Checkout clears after idle</source>
      <translation>收银台无操作自动清空</translation>
    </message>
    <message>
      <source>Language changes take effect when the console starts again.</source>
      <translation>语言设置在工作台重新启动后生效。</translation>
    </message>
    <message>
      <source>Not saved</source>
      <translation>未保存</translation>
    </message>
  </context>
</TS>
