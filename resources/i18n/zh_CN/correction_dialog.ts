<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Child&apos;s birthday</source>
        <translation>宝宝生日</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>预产期</translation>
    </message>
    <message>
        <source>Waiting to upload</source>
        <translation>待上传</translation>
    </message>
    <message>
        <source>HQ is reviewing</source>
        <translation>总部审核中</translation>
    </message>
    <message>
        <source>Accepted by HQ</source>
        <translation>总部已采纳</translation>
    </message>
    <message>
        <source>Rejected by HQ</source>
        <translation>被总部驳回</translation>
    </message>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <source>Correct member data</source>
        <translation>资料修正</translation>
    </message>
    <message>
        <source>Baby</source>
        <translation>宝宝</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>修正项</translation>
    </message>
    <message>
        <source>Current value</source>
        <translation>当前资料</translation>
    </message>
    <message>
        <source>Correct value</source>
        <translation>正确资料</translation>
    </message>
    <message>
        <source>HQ reviews every correction; the profile shows it as waiting until then.</source>
        <translation>资料修正由总部审核；审核完成前，会员画像中显示为待审核。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Correction saved; HQ will review it.</source>
        <translation>资料修正已保存，等待总部审核。</translation>
    </message>
</context>
</TS>
