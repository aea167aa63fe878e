<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Downloading %p%</source>
        <translation>正在下载 %p%</translation>
    </message>
    <message>
        <source>Changes HQ did not accept: see what to do</source>
        <translation>总部未接受的修改：查看处理办法</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>{0} waiting to upload</source>
        <translation>待上传 {0} 条</translation>
    </message>
    <message>
        <source>{0} rejected by HQ</source>
        <translation>被总部驳回 {0} 条</translation>
    </message>
    <message>
        <source>Uploading {0} of {1}…</source>
        <translation>正在上传 {0}/{1}…</translation>
    </message>
    <message>
        <source>Receiving HQ&apos;s changes…</source>
        <translation>正在接收总部的更新…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>需要重新登录</translation>
    </message>
    <message>
        <source>Update required</source>
        <translation>需要更新版本</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <source>Last synced {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
</context>
</TS>
