<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>FollowUpEdit</name>
    <message>
        <source>None</source>
        <translation>不跟进</translation>
    </message>
</context>
<context>
    <name>InteractionForm</name>
    <message>
        <source>Alt+{0}</source>
        <translation>Alt+{0}</translation>
    </message>
    <message>
        <source>No outcome</source>
        <translation>不选结果</translation>
    </message>
    <message>
        <source>What was said? Ctrl+Enter saves.</source>
        <translation>沟通内容…（Ctrl+Enter 保存）</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
    <message>
        <source>+3 days</source>
        <translation>+3天</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>+1 week</source>
        <translation>+1周</translation>
    </message>
    <message>
        <source>+1 month</source>
        <translation>+1月</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Log a contact</source>
        <translation>记录互动</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <source>No task</source>
        <translation>不关联任务</translation>
    </message>
    <message>
        <source> (due {0})</source>
        <translation>（截止 {0}）</translation>
    </message>
    <message>
        <source>Contact saved.</source>
        <translation>互动记录已保存。</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The next follow-up must be today or later.</source>
        <translation>下次跟进日期不能早于今天。</translation>
    </message>
    <message>
        <source>{0}/{1}</source>
        <translation>{0}/{1}</translation>
    </message>
</context>
</TS>
