<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in · Store Associate Console</source>
        <translation>登录 · 门店导购工作台</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Set up this computer</source>
        <translation>设置本机并登录</translation>
    </message>
    <message>
        <source>HQ address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <source>e.g. SH001</source>
        <translation>例如 SH001</translation>
    </message>
    <message>
        <source>Store code</source>
        <translation>门店代码</translation>
    </message>
    <message>
        <source>e.g. A001</source>
        <translation>例如 A001</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Change HQ address</source>
        <translation>更改总部地址</translation>
    </message>
    <message>
        <source>This computer has no secure place to keep your sign-in: it is kept only until the console closes, and you will sign in again next time.</source>
        <translation>本机没有安全的凭据存储（系统钥匙串）：登录状态只保留到关闭工作台为止，下次启动需要重新登录。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>The HQ address is not valid: it starts with https:// and the server&apos;s name (http:// only for this computer).</source>
        <translation>总部地址无效：应以 https:// 开头，后接服务器名称（http:// 仅限本机地址）。</translation>
    </message>
    <message>
        <source>Enter the store code, e.g. SH001.</source>
        <translation>请输入门店代码，例如 SH001。</translation>
    </message>
    <message>
        <source>Enter your staff number, e.g. A001.</source>
        <translation>请输入工号，例如 A001。</translation>
    </message>
    <message>
        <source>HQ cannot be reached: check the network and HQ&apos;s address, then try again.</source>
        <translation>无法连接总部：请检查网络和总部地址后重试。</translation>
    </message>
    <message>
        <source>HQ&apos;s certificate is not trusted: tell IT. Nothing was sent.</source>
        <translation>总部的证书不受信任：请联系 IT。未发送任何内容。</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: try again in {0} minutes.</source>
        <translation>登录失败次数过多：请 {0} 分钟后再试。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
</TS>
