<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>AdvisorTable</name>
    <message>
      <source>Advisor</source>
      <translation>导购</translation>
    </message>
    <message>
      <source>{0} (left)</source>
      <translation>{0}（已停用）</translation>
    </message>
    <message>
      <source>Members</source>
      <translation>负责会员</translation>
    </message>
    <message>
      <source>Contacts this week</source>
      <translation>本周联系</translation>
    </message>
    <message>
      <source>Contacts logged since Monday 00:00</source>
      <translation>本周一 0 点以来记录的联系次数</translation>
    </message>
    <message>
      <source>Overdue follow-ups</source>
      <translation>逾期跟进</translation>
    </message>
    <message>
      <source>Targets</source>
      <translation>目标会员</translation>
    </message>
    <message>
      <source>Task targets assigned to the advisor (cancelled tasks left out)</source>
      <translation>分给该导购的任务目标会员（不含已取消的任务）</translation>
    </message>
    <message>
      <source>Still open</source>
      <translation>待联系</translation>
    </message>
    <message>
      <source>Converted</source>
      <translation>已成交</translation>
    </message>
    <message>
      <source>Completion</source>
      <translation>完成率</translation>
    </message>
    <message>
      <source>Conversion rate</source>
      <translation>转化率</translation>
    </message>
  </context>
  <context>
    <name>BehindTable</name>
    <message>
      <source>Double-click opens the member; select several to reassign them</source>
      <translation>双击打开会员档案；可多选后一起改派</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>手机号</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>Advisor</source>
      <translation>导购</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果/方式</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
  </context>
  <context>
    <name>TaskTable</name>
    <message>
      <source>Push-task</source>
      <translation>推送任务</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>截止日期</translation>
    </message>
    <message>
      <source>Targets</source>
      <translation>目标会员</translation>
    </message>
    <message>
      <source>Reached</source>
      <translation>已触达</translation>
    </message>
    <message>
      <source>Spoken to: reached, interested, converted or declined</source>
      <translation>已沟通上：已联系、有意向、已成交或已拒绝</translation>
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
      <source>Still open</source>
      <translation>待联系</translation>
    </message>
    <message>
      <source>Not contacted yet, or not reachable: to try again</source>
      <translation>尚未联系或未接通，需要再联系</translation>
    </message>
    <message>
      <source>Completion</source>
      <translation>完成率</translation>
    </message>
    <message>
      <source>Share of targets finished (double-click: the finished ones)</source>
      <translation>已完成的目标会员占比（双击查看已完成的会员）</translation>
    </message>
    <message>
      <source>Conversion rate</source>
      <translation>转化率</translation>
    </message>
    <message>
      <source>Converted share of all targets</source>
      <translation>已成交占全部目标会员的比例</translation>
    </message>
  </context>
</TS>
