<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>SearchBox</name>
    <message>
        <source>Phone, last 4 digits, card, member code, name or pinyin (Ctrl+F)</source>
        <translation>手机号、后四位、卡号、会员码、姓名或拼音（Ctrl+F）</translation>
    </message>
    <message>
        <source>Card {0}</source>
        <translation>卡号 {0}</translation>
    </message>
    <message>
        <source>★ My member</source>
        <translation>★ 我的会员</translation>
    </message>
    <message>
        <source>More than {0} members match: type more to narrow the list.</source>
        <translation>匹配的会员超过 {0} 位：请多输入一些以缩小范围。</translation>
    </message>
    <message>
        <source>No member has the phone number {0}.</source>
        <translation>没有手机号为 {0} 的会员。</translation>
    </message>
    <message>
        <source>No member&apos;s phone number ends in {0}.</source>
        <translation>没有手机号后四位为 {0} 的会员。</translation>
    </message>
    <message>
        <source>Type at least two letters of the pinyin.</source>
        <translation>请至少输入两个拼音字母。</translation>
    </message>
    <message>
        <source>No member found for “{0}”.</source>
        <translation>未找到与“{0}”匹配的会员。</translation>
    </message>
    <message>
        <source>Type an 11-digit phone number, its last 4 digits, a card number, a name or its pinyin, or scan the member code.</source>
        <translation>请输入 11 位手机号、手机号后四位、会员卡号、姓名或拼音，或扫描会员码。</translation>
    </message>
</context>
</TS>
