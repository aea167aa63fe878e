<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>DrillPage</name>
    <message>
      <source>← Back to the dashboard</source>
      <translation>← 返回门店看板</translation>
    </message>
    <message>
      <source>Open profile</source>
      <translation>打开会员档案</translation>
    </message>
    <message>
      <source>Reassign to…</source>
      <translation>改派给…</translation>
    </message>
    <message>
      <source>Select one or more rows (Ctrl or Shift for several).</source>
      <translation>可选择一行或多行（按住 Ctrl 或 Shift 多选）。</translation>
    </message>
    <message>
      <source>{0} rows</source>
      <translation>共 {0} 行</translation>
    </message>
    <message>
      <source>Not all reassigned</source>
      <translation>部分未能改派</translation>
    </message>
    <message>
      <source>{0} reassigned; {1} could not be ({2}): {3}</source>
      <translation>已改派 {0} 个；{1} 个未能改派（{2}）：{3}</translation>
    </message>
    <message>
      <source>{0} reassigned. HQ receives the change at the next sync.</source>
      <translation>已改派 {0} 个，下次同步时上传总部。</translation>
    </message>
  </context>
</TS>
