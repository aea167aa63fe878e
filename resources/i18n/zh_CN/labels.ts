<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Errors</name>
    <message>
      <source>That could not be done.</source>
      <translation>无法完成此操作。</translation>
    </message>
    <message>
      <source>Please check what you typed.</source>
      <translation>请检查输入的内容。</translation>
    </message>
    <message>
      <source>That is not a mobile number: 11 digits starting with 1.</source>
      <translation>这不是手机号码：应为以 1 开头的 11 位数字。</translation>
    </message>
    <message>
      <source>That date is not possible here.</source>
      <translation>这个日期在这里不可用。</translation>
    </message>
    <message>
      <source>The note is too long: 2,000 characters at most.</source>
      <translation>备注太长：最多 2000 字。</translation>
    </message>
    <message>
      <source>Nothing was found.</source>
      <translation>没有找到。</translation>
    </message>
    <message>
      <source>No such member in this store.</source>
      <translation>本店没有这位会员。</translation>
    </message>
    <message>
      <source>No member has this card number.</source>
      <translation>没有会员使用这个卡号。</translation>
    </message>
    <message>
      <source>This tag does not exist (any more).</source>
      <translation>这个标签不存在（或已不再使用）。</translation>
    </message>
    <message>
      <source>This task does not exist (any more).</source>
      <translation>这个任务不存在（或已不再存在）。</translation>
    </message>
    <message>
      <source>No such staff member in this store.</source>
      <translation>本店没有这位员工。</translation>
    </message>
    <message>
      <source>Your role may not do this.</source>
      <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
      <source>Your role may not use this tag group.</source>
      <translation>您的角色无权使用这个标签组。</translation>
    </message>
    <message>
      <source>This tag is set by HQ automatically and cannot be changed here.</source>
      <translation>这个标签由总部自动设置，不能在这里修改。</translation>
    </message>
    <message>
      <source>HQ has retired this tag.</source>
      <translation>总部已停用这个标签。</translation>
    </message>
    <message>
      <source>There is nothing of yours to undo.</source>
      <translation>没有您可以撤销的操作。</translation>
    </message>
    <message>
      <source>The task cannot move to that status.</source>
      <translation>任务不能变更为该状态。</translation>
    </message>
    <message>
      <source>This task is closed: nothing more can be recorded on it.</source>
      <translation>这个任务已关闭：不能再记录结果。</translation>
    </message>
    <message>
      <source>This member was already reached for this task: who worked them stays on record.</source>
      <translation>该会员在此任务中已联系过：保留原跟进导购的记录。</translation>
    </message>
    <message>
      <source>Work can only go to an active advisor of this store.</source>
      <translation>只能改派给本店在职的导购。</translation>
    </message>
    <message>
      <source>This phone number already belongs to a member.</source>
      <translation>这个手机号已属于一位会员。</translation>
    </message>
    <message>
      <source>This member code is not valid.</source>
      <translation>会员码无效。</translation>
    </message>
    <message>
      <source>This member code has expired: ask for a fresh one.</source>
      <translation>会员码已过期：请顾客刷新后再出示。</translation>
    </message>
    <message>
      <source>The local database could not be written. Nothing was changed.</source>
      <translation>本机数据库无法写入。没有做任何修改。</translation>
    </message>
    <message>
      <source>The local database is busy. Nothing was changed: try again.</source>
      <translation>本机数据库正忙。没有做任何修改：请重试。</translation>
    </message>
    <message>
      <source>The disk is full. Nothing was changed: free some space.</source>
      <translation>磁盘已满。没有做任何修改：请清理空间。</translation>
    </message>
    <message>
      <source>This database was written by a newer version: update the app.</source>
      <translation>此数据库由更新版本的工作台写入：请更新应用。</translation>
    </message>
    <message>
      <source>Please sign in.</source>
      <translation>请登录。</translation>
    </message>
    <message>
      <source>This account cannot use the store console.</source>
      <translation>这个账号不能使用门店工作台。</translation>
    </message>
    <message>
      <source>The store code, staff number or password is wrong.</source>
      <translation>门店代码、工号或密码不正确。</translation>
    </message>
    <message>
      <source>Too many failed sign-ins: wait a few minutes.</source>
      <translation>登录失败次数过多：请等几分钟再试。</translation>
    </message>
  </context>
  <context>
    <name>Sync</name>
    <message>
      <source>Synced</source>
      <translation>已同步</translation>
    </message>
    <message>
      <source>HQ cannot be reached: working offline.</source>
      <translation>无法连接总部：正在离线工作。</translation>
    </message>
    <message>
      <source>HQ's certificate is not trusted: tell IT. Nothing was sent.</source>
      <translation>总部的证书不受信任：请联系 IT。未发送任何内容。</translation>
    </message>
    <message>
      <source>HQ asks you to sign in again.</source>
      <translation>总部要求重新登录。</translation>
    </message>
    <message>
      <source>HQ refused this account on this store: sign in again.</source>
      <translation>总部拒绝了此账号在本店的使用：请重新登录。</translation>
    </message>
    <message>
      <source>HQ needs a newer version of this app: tell IT.</source>
      <translation>总部需要更新版本的工作台：请联系 IT。</translation>
    </message>
    <message>
      <source>HQ is busy: trying again shortly.</source>
      <translation>总部繁忙：稍后自动重试。</translation>
    </message>
    <message>
      <source>HQ had a problem: trying again shortly.</source>
      <translation>总部出现问题：稍后自动重试。</translation>
    </message>
    <message>
      <source>HQ's answer could not be read: trying again later.</source>
      <translation>无法读取总部的回复：稍后再试。</translation>
    </message>
    <message>
      <source>HQ refused the request: tell IT.</source>
      <translation>总部拒绝了请求：请联系 IT。</translation>
    </message>
    <message>
      <source>The local database could not be written: see the log.</source>
      <translation>本机数据库无法写入：请查看日志。</translation>
    </message>
    <message>
      <source>The disk is full: sync is paused.</source>
      <translation>磁盘已满：同步已暂停。</translation>
    </message>
    <message>
      <source>The local database is busy: trying again shortly.</source>
      <translation>本机数据库正忙：稍后自动重试。</translation>
    </message>
    <message>
      <source>Sync stopped on an unexpected error: see the log.</source>
      <translation>同步因意外错误停止：请查看日志。</translation>
    </message>
  </context>
  <context>
    <name>Vocabulary</name>
    <message>
      <source>Advisor</source>
      <translation>导购</translation>
    </message>
    <message>
      <source>Cashier</source>
      <translation>收银员</translation>
    </message>
    <message>
      <source>Store manager</source>
      <translation>店长</translation>
    </message>
    <message>
      <source>Regular</source>
      <translation>普通</translation>
    </message>
    <message>
      <source>Silver</source>
      <translation>银卡</translation>
    </message>
    <message>
      <source>Gold</source>
      <translation>金卡</translation>
    </message>
    <message>
      <source>Black gold</source>
      <translation>黑金</translation>
    </message>
    <message>
      <source>Member</source>
      <translation>会员</translation>
    </message>
    <message>
      <source>Quasi-member</source>
      <translation>准会员</translation>
    </message>
    <message>
      <source>New member</source>
      <translation>新会员</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>活跃</translation>
    </message>
    <message>
      <source>Dormant</source>
      <translation>沉睡</translation>
    </message>
    <message>
      <source>Lost</source>
      <translation>流失</translation>
    </message>
    <message>
      <source>Call</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>WeChat chat</source>
      <translation>微信沟通</translation>
    </message>
    <message>
      <source>Store visit</source>
      <translation>到店</translation>
    </message>
    <message>
      <source>Home visit</source>
      <translation>上门</translation>
    </message>
    <message>
      <source>Text message</source>
      <translation>短信</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>活动</translation>
    </message>
    <message>
      <source>Reached</source>
      <translation>已联系</translation>
    </message>
    <message>
      <source>Not reachable</source>
      <translation>未接通</translation>
    </message>
    <message>
      <source>Interested</source>
      <translation>有意向</translation>
    </message>
    <message>
      <source>Converted</source>
      <translation>已成交</translation>
    </message>
    <message>
      <source>Declined</source>
      <translation>已拒绝</translation>
    </message>
    <message>
      <source>Wrong number</source>
      <translation>号码错误</translation>
    </message>
    <message>
      <source>Not started</source>
      <translation>待开始</translation>
    </message>
    <message>
      <source>In progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>Expired</source>
      <translation>已过期</translation>
    </message>
    <message>
      <source>Pregnant</source>
      <translation>孕期</translation>
    </message>
    <message>
      <source>0-6 months</source>
      <translation>0-6月</translation>
    </message>
    <message>
      <source>6-12 months</source>
      <translation>6-12月</translation>
    </message>
    <message>
      <source>1-3 years</source>
      <translation>1-3岁</translation>
    </message>
    <message>
      <source>3-6 years</source>
      <translation>3-6岁</translation>
    </message>
    <message>
      <source>6 years and older</source>
      <translation>6岁+</translation>
    </message>
  </context>
</TS>
