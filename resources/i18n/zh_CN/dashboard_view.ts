<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>DashboardView</name>
    <message>
      <source>All targets</source>
      <translation>全部目标会员</translation>
    </message>
    <message>
      <source>Still open</source>
      <translation>待联系</translation>
    </message>
    <message>
      <source>Finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Reached</source>
      <translation>已触达</translation>
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
      <source>Overdue follow-ups</source>
      <translation>逾期跟进</translation>
    </message>
    <message>
      <source>Figures are computed on this computer from the data of the last sync, so the dashboard also works offline.</source>
      <translation>数据由本机根据上次同步的数据计算，离线时也可以查看。</translation>
    </message>
    <message>
      <source>Store dashboard</source>
      <translation>门店看板</translation>
    </message>
    <message>
      <source>Push-tasks</source>
      <translation>推送任务</translation>
    </message>
    <message>
      <source>Advisors</source>
      <translation>导购</translation>
    </message>
    <message>
      <source>Double-click a number to see the members behind it</source>
      <translation>双击数字，查看对应的会员名单</translation>
    </message>
    <message>
      <source>Advisors: workload and results</source>
      <translation>导购工作量与成效</translation>
    </message>
    <message>
      <source>Push-tasks: progress (select one for its chart)</source>
      <translation>推送任务进度（选中任务查看走势图）</translation>
    </message>
    <message>
      <source>As of last sync {0}</source>
      <translation>截至上次同步 {0}</translation>
    </message>
    <message>
      <source>Not synced yet: figures from this computer's data</source>
      <translation>尚未同步：数据来自本机</translation>
    </message>
  </context>
</TS>
