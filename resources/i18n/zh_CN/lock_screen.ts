<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>LockScreen</name>
    <message>
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <source>Signed in: {0} · {1} {2}</source>
        <translation>已登录：{0} · {1} {2}</translation>
    </message>
    <message>
        <source>Enter your password to continue. Member data stays hidden while locked.</source>
        <translation>输入密码继续使用。锁定期间会员资料不会显示。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Not you? Switch user</source>
        <translation>不是本人？切换用户</translation>
    </message>
    <message>
        <source>Wrong password. The screen stays locked.</source>
        <translation>密码不正确，屏幕保持锁定。</translation>
    </message>
</context>
</TS>
