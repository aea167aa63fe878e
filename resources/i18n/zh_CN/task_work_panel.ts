<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>TaskWorkPanel</name>
    <message>
        <source>← Back to the task</source>
        <translation>← 返回任务</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>查看会员档案</translation>
    </message>
    <message>
        <source>Key {0}</source>
        <translation>按键 {0}</translation>
    </message>
    <message>
        <source>Follow up on</source>
        <translation>跟进日期</translation>
    </message>
    <message>
        <source>Contact by</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Note: what was said, what to do next (Enter saves)</source>
        <translation>备注：聊了什么、下一步做什么（回车保存）</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Save and next</source>
        <translation>保存并下一位</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>What came of it? (keys 1–6)</source>
        <translation>联系结果（按键 1–6）</translation>
    </message>
    <message>
        <source>Mark the task as done</source>
        <translation>将任务标记为已完成</translation>
    </message>
    <message>
        <source>Choose what came of it first: keys 1–6.</source>
        <translation>请先选择联系结果：按键 1–6。</translation>
    </message>
    <message>
        <source>Saved: {0} · {1}. {2} changes waiting to upload.</source>
        <translation>已保存：{0} · {1}。待上传 {2} 条。</translation>
    </message>
    <message>
        <source>{0} still to contact</source>
        <translation>还有 {0} 位待联系</translation>
    </message>
    <message>
        <source>This is the only target still open.</source>
        <translation>这是唯一一位仍待联系的会员。</translation>
    </message>
    <message>
        <source>so far: {0}</source>
        <translation>上次结果：{0}</translation>
    </message>
    <message>
        <source>Children: {0}</source>
        <translation>宝宝：{0}</translation>
    </message>
    <message>
        <source>No children recorded</source>
        <translation>未登记宝宝信息</translation>
    </message>
    <message>
        <source>Tags: {0}</source>
        <translation>标签：{0}</translation>
    </message>
    <message>
        <source>No contact logged yet</source>
        <translation>尚无互动记录</translation>
    </message>
    <message>
        <source>Last contact {0}: {1}</source>
        <translation>上次联系 {0}：{1}</translation>
    </message>
    <message>
        <source>This task is no longer on this device.</source>
        <translation>本机上已没有此任务。</translation>
    </message>
    <message>
        <source>This task is {0}: nothing more can be recorded on it.</source>
        <translation>此任务{0}：不能再记录联系结果。</translation>
    </message>
    <message>
        <source>Task complete: every target has been worked through.</source>
        <translation>任务完成：所有目标会员都已联系完毕。</translation>
    </message>
    <message>
        <source>{0} of {1} targets closed, {2} converted.</source>
        <translation>{1} 位目标会员中已完成 {0} 位，已成交 {2} 位。</translation>
    </message>
</context>
</TS>
