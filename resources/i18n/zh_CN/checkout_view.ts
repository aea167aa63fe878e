<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>CheckoutView</name>
    <message>
      <source>Scan the member code or card, or type a phone number or its last 4 digits, then Enter</source>
      <translation>扫会员码或会员卡，或输入手机号/后四位，按回车</translation>
    </message>
    <message>
      <source>Always on top</source>
      <translation>窗口置顶</translation>
    </message>
    <message>
      <source>A small window above the till software</source>
      <translation>缩小窗口，始终显示在收银软件上方</translation>
    </message>
    <message>
      <source>Enrol as quasi-member (Enter)</source>
      <translation>登记为准会员（回车）</translation>
    </message>
    <message>
      <source>This member is not in this store's data (yet): sync, or look them up by phone.</source>
      <translation>本机暂无此会员的数据：请同步，或用手机号查找。</translation>
    </message>
    <message>
      <source>{0}: press a tag's key</source>
      <translation>{0}：按标签对应的键</translation>
    </message>
    <message>
      <source>Member</source>
      <translation>会员</translation>
    </message>
    <message>
      <source>Enrolled as quasi-member</source>
      <translation>已登记为准会员</translation>
    </message>
    <message>
      <source>Next customer</source>
      <translation>请扫下一位顾客</translation>
    </message>
    <message>
      <source>Scan the member code or card, or type a phone number or its last 4 digits.</source>
      <translation>扫会员码或会员卡，或输入手机号、手机号后四位。</translation>
    </message>
    <message>
      <source>Enter: look up · Esc: clear</source>
      <translation>回车：查找 · Esc：清空</translation>
    </message>
    <message>
      <source>Press the member's number · Esc: clear</source>
      <translation>按会员前面的数字 · Esc：清空</translation>
    </message>
    <message>
      <source>1–9, F1–F12: add or remove a tag · Ctrl+Z: undo · Esc: next customer (then type, or just scan)</source>
      <translation>1–9、F1–F12：添加/移除标签 · Ctrl+Z：撤销 · Esc：下一位顾客（之后输入号码，或直接扫码）</translation>
    </message>
    <message>
      <source>Enter: enrol · Esc: cancel</source>
      <translation>回车：登记 · Esc：取消</translation>
    </message>
    <message>
      <source>More members match: pick one, or type the full number or scan the code.</source>
      <translation>匹配的会员较多：请选择，或输入完整手机号、扫会员码。</translation>
    </message>
    <message>
      <source>{0} members match: press the member's number.</source>
      <translation>找到 {0} 位会员：请按对应的数字。</translation>
    </message>
    <message>
      <source>No member has the number {0}. Enrol this customer as a quasi-member with just the number?</source>
      <translation>没有手机号为 {0} 的会员。只用这个号码把顾客登记为准会员？</translation>
    </message>
    <message>
      <source>New number {0}: Enter enrols a quasi-member</source>
      <translation>新号码 {0}：按回车登记准会员</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>Undone</source>
      <translation>已撤销</translation>
    </message>
    <message>
      <source>Undone: {0}</source>
      <translation>已撤销：{0}</translation>
    </message>
    <message>
      <source>{0} back</source>
      <translation>已恢复 {0}</translation>
    </message>
    <message>
      <source>{0} removed</source>
      <translation>已移除 {0}</translation>
    </message>
    <message>
      <source>Added {0} (instead of {1})</source>
      <translation>已添加 {0}（替换 {1}）</translation>
    </message>
    <message>
      <source>Added {0}</source>
      <translation>已添加 {0}</translation>
    </message>
    <message>
      <source>Removed {0}</source>
      <translation>已移除 {0}</translation>
    </message>
    <message>
      <source>Not a number to look up: scan the code or card, or type 11 digits or the last 4.</source>
      <translation>无法查找：请扫会员码或会员卡，或输入11位手机号或后四位。</translation>
    </message>
    <message>
      <source>This member code is genuine, but the member is not on this computer yet: sync, or type the phone number.</source>
      <translation>会员码有效，但本机还没有该会员的数据：请同步，或输入手机号。</translation>
    </message>
    <message>
      <source>No member's phone number ends in {0}.</source>
      <translation>没有手机尾号为 {0} 的会员。</translation>
    </message>
    <message>
      <source>No member found for “{0}”.</source>
      <translation>没有找到“{0}”对应的会员。</translation>
    </message>
  </context>
</TS>
