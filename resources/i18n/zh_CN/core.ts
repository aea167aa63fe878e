<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Rejections</name>
    <message>
      <source>A later change made at HQ or on another device won.</source>
      <translation>总部或其他设备上更晚的修改已生效。</translation>
    </message>
    <message>
      <source>Check the member; change it again if needed.</source>
      <translation>请查看会员资料，如有需要请重新修改。</translation>
    </message>
    <message>
      <source>HQ retired this tag, so it was not applied.</source>
      <translation>总部已停用这个标签，所以没有添加。</translation>
    </message>
    <message>
      <source>Choose another tag.</source>
      <translation>请选择其他标签。</translation>
    </message>
    <message>
      <source>Your role may not use this tag group.</source>
      <translation>您的角色无权使用这个标签组。</translation>
    </message>
    <message>
      <source>Ask an advisor or the store manager.</source>
      <translation>请联系导购或店长。</translation>
    </message>
    <message>
      <source>This tag is set by HQ automatically.</source>
      <translation>这个标签由总部自动设置。</translation>
    </message>
    <message>
      <source>Nothing to do.</source>
      <translation>无需处理。</translation>
    </message>
    <message>
      <source>HQ no longer has this tag.</source>
      <translation>总部已没有这个标签。</translation>
    </message>
    <message>
      <source>HQ cancelled this task, so the result was not recorded.</source>
      <translation>总部已取消这个任务，所以结果没有记录。</translation>
    </message>
    <message>
      <source>The task had expired, so the result was not recorded.</source>
      <translation>任务已过期，所以结果没有记录。</translation>
    </message>
    <message>
      <source>The task was already finished.</source>
      <translation>任务已经完成。</translation>
    </message>
    <message>
      <source>This task or member was assigned to someone else.</source>
      <translation>这个任务或会员已分配给其他人。</translation>
    </message>
    <message>
      <source>Ask the store manager.</source>
      <translation>请联系店长。</translation>
    </message>
    <message>
      <source>This member is no longer a target of the task.</source>
      <translation>这位会员已不再是该任务的目标会员。</translation>
    </message>
    <message>
      <source>HQ changed this field meanwhile; your correction waits for HQ's review.</source>
      <translation>总部同时修改了这一项；您的资料修正正等待总部审核。</translation>
    </message>
    <message>
      <source>Nothing to do: HQ will decide.</source>
      <translation>无需处理：由总部决定。</translation>
    </message>
    <message>
      <source>This phone number already belonged to a member; the new entry was merged into them.</source>
      <translation>这个手机号已属于一位会员；新登记的资料已合并到该会员。</translation>
    </message>
    <message>
      <source>HQ does not know this member (removed, or its enrolment never reached HQ).</source>
      <translation>总部没有这位会员（已删除，或登记从未到达总部）。</translation>
    </message>
    <message>
      <source>Look the member up again.</source>
      <translation>请重新查找这位会员。</translation>
    </message>
    <message>
      <source>This member or task now belongs to another store.</source>
      <translation>这位会员或这个任务现在属于其他门店。</translation>
    </message>
    <message>
      <source>The person who made this change has not signed in on this computer.</source>
      <translation>做这项修改的人没有在本机登录过。</translation>
    </message>
    <message>
      <source>Have them sign in here, then send it again.</source>
      <translation>请让本人在本机登录，然后重新发送。</translation>
    </message>
    <message>
      <source>This role may not make this change.</source>
      <translation>这个角色无权做这项修改。</translation>
    </message>
    <message>
      <source>The task could not move to that status.</source>
      <translation>任务无法变更为该状态。</translation>
    </message>
    <message>
      <source>Only HQ can make this change.</source>
      <translation>只有总部可以做这项修改。</translation>
    </message>
    <message>
      <source>HQ already has a different record with this id.</source>
      <translation>总部已有一条相同编号的不同记录。</translation>
    </message>
    <message>
      <source>Report it to IT.</source>
      <translation>请报告 IT。</translation>
    </message>
    <message>
      <source>The chosen advisor is no longer an active advisor of this store; nothing was reassigned.</source>
      <translation>所选导购已不是本店在职导购，未做调整。</translation>
    </message>
    <message>
      <source>Choose another advisor.</source>
      <translation>请另选一位导购。</translation>
    </message>
    <message>
      <source>This member had already been contacted for the task, so the target keeps its advisor.</source>
      <translation>该会员在此任务中已联系过，任务目标仍归原导购。</translation>
    </message>
    <message>
      <source>HQ did not accept this change.</source>
      <translation>总部没有接受这项修改。</translation>
    </message>
    <message>
      <source>Report it to IT if it matters.</source>
      <translation>如有影响请报告 IT。</translation>
    </message>
  </context>
</TS>
