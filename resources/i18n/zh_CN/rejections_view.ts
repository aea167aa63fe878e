<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>RejectionsView</name>
    <message>
        <source>Tag added</source>
        <translation>添加标签</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>移除标签</translation>
    </message>
    <message>
        <source>Interaction</source>
        <translation>互动记录</translation>
    </message>
    <message>
        <source>Task outcome</source>
        <translation>任务结果</translation>
    </message>
    <message>
        <source>Task status</source>
        <translation>任务状态</translation>
    </message>
    <message>
        <source>Data correction</source>
        <translation>资料修正</translation>
    </message>
    <message>
        <source>Enrolment</source>
        <translation>新会员登记</translation>
    </message>
    <message>
        <source>Rejected by HQ</source>
        <translation>被总部驳回</translation>
    </message>
    <message>
        <source>These changes were saved here but HQ did not accept them as made. Read why, do what is suggested, then dismiss them.</source>
        <translation>这些修改已保存在本机，但总部没有按原样接受。请查看原因，按建议处理后点击“知道了”。</translation>
    </message>
    <message>
        <source>Show dismissed ones too</source>
        <translation>同时显示已处理的</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>怎么处理</translation>
    </message>
    <message>
        <source>Nothing was rejected by HQ.</source>
        <translation>没有被总部驳回的修改。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Only for changes whose author has now signed in on this computer</source>
        <translation>仅适用于修改人现已在本机登录过的修改</translation>
    </message>
    <message>
        <source>Open member</source>
        <translation>打开会员</translation>
    </message>
    <message>
        <source>(not on this computer)</source>
        <translation>（本机没有此会员）</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Queued to send again.</source>
        <translation>已重新排队等待上传。</translation>
    </message>
</context>
</TS>
